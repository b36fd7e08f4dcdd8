/* vm-mm-unalign: mmap at an address that is not page-aligned fails and
   maps nothing: afterwards the page-aligned address below it can be
   mapped (a kernel that rounded the address down would have mapped that
   page already). */
#include "test.h"

#define GOOD ((char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (GOOD + 0x10, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10000010 returns NULL");
  CHECK (mmap (GOOD + 0x800, 2 * PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap at 0x10000800 returns NULL");
  CHECK (mmap (GOOD + PGSIZE - 1, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10000fff returns NULL");
  CHECK (mmap (GOOD, 2 * PGSIZE, 0, fd, 0) == GOOD,
         "mmap at 0x10000000 (two pages) works");
  CHECK (GOOD[1] == 31, "and byte 1 reads as in the file");
}
