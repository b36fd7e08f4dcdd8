/* fork-frames: after fork, a page the child writes is backed by a frame
   of its own, not the parent's (int $0x42 reports the frames). */
#include "test.h"

static int value = 1;

void
test_main (void)
{
  uintptr_t parent_frame;
  pid_t pid;

  value = 2;
  parent_frame = frame_of (&value);
  CHECK (parent_frame != 0, "the parent's page has a frame");
  pid = fork ("child");
  if (pid == 0)
    {
      uintptr_t mine;
      value = 3;
      mine = frame_of (&value);
      CHECK (mine != 0 && mine != parent_frame,
             "child: after writing, its page has a different frame");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (value == 2, "parent: value is still 2");
}
