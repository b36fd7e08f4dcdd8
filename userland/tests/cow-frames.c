/* cow-frames: int $0x42 shows the sharing of copy-on-write fork.  The
   parent writes two pages (TOUCHED and OTHER) before fork and leaves a
   third (UNTOUCHED) alone, so it is never loaded.  In the child, before
   any write, both touched pages report the parent's frames and the
   untouched one reports 0.  After the child writes TOUCHED, its frame
   differs from the parent's while OTHER, which nobody wrote, still
   reports the parent's frame.  After wait, the parent's frames are the
   ones it had before fork, its bytes are its own, and the untouched page
   still has no frame. */
#include "test.h"

static char touched[PGSIZE] __attribute__ ((aligned (4096))) = { 1 };
static char other[PGSIZE] __attribute__ ((aligned (4096))) = { 1 };
static char untouched[PGSIZE] __attribute__ ((aligned (4096)));

void
test_main (void)
{
  uintptr_t pt, po;
  pid_t pid;

  touched[0] = 'p';
  other[0] = 'o';
  pt = frame_of (touched);
  po = frame_of (other);
  CHECK (pt != 0 && po != 0 && pt != po,
         "parent: the two touched pages have frames");
  CHECK (frame_of (untouched) == 0, "parent: the untouched page has none");

  pid = fork ("child");
  if (pid == 0)
    {
      uintptr_t ct;

      CHECK (frame_of (touched) == pt && frame_of (other) == po,
             "child: both touched pages report the parent's frames");
      CHECK (frame_of (untouched) == 0,
             "child: the untouched page has no frame");
      touched[1] = 'c';
      ct = frame_of (touched);
      CHECK (ct != 0 && ct != pt,
             "child: after writing, its page has a frame of its own");
      CHECK (frame_of (other) == po,
             "child: the page nobody wrote still shares the parent's frame");
      CHECK (touched[0] == 'p' && touched[1] == 'c' && other[0] == 'o',
             "child: its copy holds the parent's byte and its own");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (frame_of (touched) == pt && frame_of (other) == po,
         "parent: its frames are the ones it had before fork");
  CHECK (touched[0] == 'p' && touched[1] == 0 && other[0] == 'o',
         "parent: it does not see the child's write");
  CHECK (frame_of (untouched) == 0,
         "parent: the untouched page still has no frame");
}
