/* vm-kill-free: a process killed while much of its memory is in swap
   gives everything back: with user_pages=48 a child writes 512 KiB and
   then dereferences NULL (exit -1); the parent's wait returns -1; a second
   child then writes 512 KiB and exits normally.  The harness checks that
   frames and swap slots are back to their baseline at the end. */
#include "test.h"

#define PAGES 128

static unsigned char arr[PAGES * 4096];

static void
fill (unsigned char seed)
{
  int k;
  for (k = 0; k < PAGES; k++)
    arr[k * PGSIZE] = seed + k;
  for (k = 0; k < PAGES; k++)
    if (arr[k * PGSIZE] != (unsigned char) (seed + k))
      fail ("page %d lost its byte", k);
}

void
test_main (void)
{
  pid_t pid = fork ("victim");

  if (pid == 0)
    {
      fill (1);
      *(volatile int *) NULL = 1;
      fail ("victim: writing NULL did not kill it");
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == -1, "a child killed with 512 KiB written: wait returns -1");
  pid = fork ("second");
  if (pid == 0)
    {
      fill (2);
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "a second child wrote 512 KiB: wait returns 0");
}
