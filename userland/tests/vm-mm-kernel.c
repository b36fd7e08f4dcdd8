/* vm-mm-kernel: mmap of a range that reaches the kernel boundary
   0x8004000000 fails (returns NULL): two pages from the last user page, a
   page and one byte from there, a page at the boundary and one deep in
   kernel space.  A page a few pages below the boundary works. */
#include "test.h"

void
test_main (void)
{
  char *last = (char *) (KERNEL_BASE - PGSIZE);
  char *low = (char *) (KERNEL_BASE - 4 * PGSIZE);
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (last, 2 * PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap of 2 pages at 0x8003fff000 returns NULL");
  CHECK (mmap (last, PGSIZE + 1, 0, fd, 0) == MAP_FAILED,
         "mmap of 4097 bytes at 0x8003fff000 returns NULL");
  CHECK (mmap ((void *) KERNEL_BASE, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x8004000000 returns NULL");
  CHECK (mmap ((void *) pg_round_down (KERNEL_HIGH), PGSIZE, 1, fd, 0)
         == MAP_FAILED, "mmap at 0xffffffff80100000 returns NULL");
  CHECK (mmap (low, PGSIZE, 1, fd, 0) == low,
         "mmap of 1 page at 0x8003ffc000 works");
  CHECK (low[1] == 31, "byte 1 reads as in the file");
  low[2] = 'x';
  CHECK (low[2] == 'x', "and it is writable");
}
