/* vm-swap-oom: out of swap: with user_pages=32 and a 1 MiB swap disk
   (256 slots), a child writing a 2 MiB array cannot get a frame at some
   point and is killed (exit -1); its parent's wait returns -1, the kernel
   runs on, and a child using 256 KiB afterwards works (so the hog's
   frames and slots came back). */
#include "test.h"

#define HOG_PAGES 512
#define SMALL_PAGES 64

static unsigned char arr[HOG_PAGES * 4096];

static void
touch (int pages, unsigned char seed)
{
  int k;
  for (k = 0; k < pages; k++)
    arr[k * PGSIZE + k % 64] = seed + k;
  for (k = 0; k < pages; k++)
    if (arr[k * PGSIZE + k % 64] != (unsigned char) (seed + k))
      fail ("page %d lost its byte", k);
}

void
test_main (void)
{
  pid_t pid;

  msg ("start a child that needs more than memory and swap can hold");
  pid = fork ("hog");
  if (pid == 0)
    {
      touch (HOG_PAGES, 1);
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == -1, "wait for it returns -1");
  pid = fork ("small");
  if (pid == 0)
    {
      touch (SMALL_PAGES, 2);
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "then a child using 256 KiB works");
}
