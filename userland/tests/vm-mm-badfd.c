/* vm-mm-badfd: mmap of a descriptor that is not open fails (returns
   NULL): one never opened, one closed, a negative one and one beyond the
   descriptor limit; mapping an open one at the same address works. */
#include "test.h"

#define GOOD ((void *) 0x10000000)

void
test_main (void)
{
  int fd, closed;

  CHECK ((closed = open ("vm-data-5000")) > 1, "open vm-data-5000");
  close (closed);
  CHECK (mmap (GOOD, PGSIZE, 0, closed, 0) == MAP_FAILED,
         "mmap of a closed descriptor returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 0, 7, 0) == MAP_FAILED,
         "mmap of descriptor 7 (never opened) returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 0, -1, 0) == MAP_FAILED,
         "mmap of descriptor -1 returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 0, 100000, 0) == MAP_FAILED,
         "mmap of descriptor 100000 returns NULL");
  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000 again");
  CHECK (mmap (GOOD, PGSIZE, 0, fd, 0) == GOOD, "mmap of it works");
}
