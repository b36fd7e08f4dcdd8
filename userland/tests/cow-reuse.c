/* cow-reuse: the last holder of a shared frame writes without a copy.

   1. The parent writes PAGE and notes its frame, then forks a child that
      reads PAGE (seeing the parent's byte in the parent's frame) and exits
      without writing.  The parent, now the only holder, writes PAGE: its
      frame stays the same.
   2. The parent forks a second child, then writes PAGE itself while that
      child still shares it: the parent gets a copy.  It then creates the
      file "go"; the child waits for it and writes PAGE as the last holder
      of the original frame: the child keeps that frame and sees the byte
      from before fork.
   Both cases count as reuses (cow_reuses >= 2 in the accounting line). */
#include "test.h"

static volatile char page[PGSIZE] __attribute__ ((aligned (4096))) = { 1 };

void
test_main (void)
{
  uintptr_t pf, copy;
  pid_t pid;

  page[0] = 'a';
  pf = frame_of ((const void *) page);
  CHECK (pf != 0, "parent: its page has a frame");

  pid = fork ("reader");
  if (pid == 0)
    {
      CHECK (page[0] == 'a' && frame_of ((const void *) page) == pf,
             "reader: sees the parent's byte in the parent's frame");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  page[0] = 'b';
  CHECK (frame_of ((const void *) page) == pf && page[0] == 'b',
         "parent: writing as the last holder kept its frame");

  pid = fork ("writer");
  if (pid == 0)
    {
      await_file ("go");
      CHECK (page[0] == 'b' && frame_of ((const void *) page) == pf,
             "writer: sees 'b' in the original frame");
      page[0] = 'd';
      CHECK (frame_of ((const void *) page) == pf && page[0] == 'd',
             "writer: writing as the last holder kept the original frame");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  page[0] = 'c';                      /* the writer still shares PAGE */
  copy = frame_of ((const void *) page);
  if (!create ("go", 0))
    fail ("create go");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (copy != 0 && copy != pf,
         "parent: writing while the page was shared gave it a copy");
  CHECK (page[0] == 'c' && frame_of ((const void *) page) == copy,
         "parent: its copy holds its byte");
}
