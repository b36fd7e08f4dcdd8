/* vm-mm-null: mmap at address 0 fails (returns NULL) although the file,
   length and offset are fine; the same call at 0x10000000 works, so it is
   the address that was refused. */
#include "test.h"

#define GOOD ((void *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (NULL, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at address 0 returns NULL");
  CHECK (mmap (NULL, PGSIZE, 1, fd, 0) == MAP_FAILED,
         "a writable mmap at address 0 returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 0, fd, 0) == GOOD,
         "the same mmap at 0x10000000 works");
  CHECK (*(volatile char *) GOOD == 0, "and its first byte reads as in the file");
}
