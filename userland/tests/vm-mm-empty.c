/* vm-mm-empty: mmap of a file of length 0 fails (returns NULL), with or
   without a length; mapping a non-empty file at the same place works. */
#include "test.h"

#define GOOD ((void *) 0x10000000)

void
test_main (void)
{
  int fd, other;

  CHECK (create ("empty", 0), "create empty");
  CHECK ((fd = open ("empty")) > 1, "open empty");
  CHECK (filesize (fd) == 0, "its size is 0");
  CHECK (mmap (GOOD, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap of the empty file returns NULL");
  CHECK (mmap (GOOD, 4 * PGSIZE, 1, fd, 0) == MAP_FAILED,
         "a writable 4-page mmap of it returns NULL");
  CHECK ((other = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (GOOD, PGSIZE, 0, other, 0) == GOOD,
         "mmap of vm-data-5000 at the same address works");
}
