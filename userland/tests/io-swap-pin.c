/* io-swap-pin: a system call whose buffer is swapped out, under injected
   swap read errors (the io-swap-pin test).  Fills a 1 MiB array (four
   times the user pool of 64 pages) with a pattern, then hands each of its
   pages to write() in order, into a 4 KiB file; the kernel brings each
   page back from swap to copy it.  Every write must take the whole page;
   the program never touches the array itself after filling it, so only
   the system calls read it back. */
#include "test.h"

#define PAGES 256
#define WORDS (PAGES * PGSIZE / 4)

static uint32_t arr[WORDS];

void
test_main (void)
{
  int fd;
  size_t i;

  for (i = 0; i < WORDS; i++)
    arr[i] = (uint32_t) (i * 2654435761u);
  msg ("filled 1 MiB");
  CHECK (create ("copy", PGSIZE), "create copy");
  CHECK ((fd = open ("copy")) > 1, "open copy");
  for (i = 0; i < PAGES; i++)
    {
      int n;
      seek (fd, 0);
      n = write (fd, &arr[i * PGSIZE / 4], PGSIZE);
      if (n != PGSIZE)
        fail ("write of page %zu returned %d", i, n);
    }
  msg ("wrote every page to the file");
}
