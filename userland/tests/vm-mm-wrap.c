/* vm-mm-wrap: mmap of a range whose end wraps around the top of the
   address space fails (returns NULL) and maps nothing; a sane mapping at
   the same address works afterwards. */
#include "test.h"

#define GOOD ((char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (GOOD, (size_t) 0 - 0x10000000, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10000000 of 2^64 - 0x10000000 bytes returns NULL");
  CHECK (mmap (GOOD, (size_t) -1, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10000000 of 2^64 - 1 bytes returns NULL");
  CHECK (mmap (GOOD, (size_t) -PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap at 0x10000000 of 2^64 - 4096 bytes returns NULL");
  CHECK (mmap ((void *) -PGSIZE, 2 * PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap of 2 pages at 0xfffffffffffff000 returns NULL");
  CHECK (mmap (GOOD, 2 * PGSIZE, 0, fd, 0) == GOOD,
         "mmap of 2 pages at 0x10000000 works");
  CHECK (GOOD[1] == 31, "byte 1 reads as in the file");
}
