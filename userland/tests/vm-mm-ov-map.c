/* vm-mm-ov-map: mmap over another mapping fails (returns NULL): at the
   same start, at a page inside it, and a range that starts before it and
   runs into it.  Right after its end a second mapping works; both show
   their files. */
#include "test.h"

#define A ((volatile unsigned char *) 0x10000000)

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, 4 * PGSIZE, 0, fd, 0) == (void *) A,
         "mmap 4 pages at 0x10000000");
  CHECK (mmap ((void *) A, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10000000 again returns NULL");
  CHECK (mmap ((void *) (A + 2 * PGSIZE), PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x10002000, inside it, returns NULL");
  CHECK (mmap ((void *) (A + 3 * PGSIZE), 4 * PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap from its last page onwards returns NULL");
  CHECK (mmap ((void *) (A - 2 * PGSIZE), 3 * PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap of 3 pages at 0x0fffe000, running into it, returns NULL");
  CHECK (mmap ((void *) (A + 4 * PGSIZE), 2 * PGSIZE, 0, fd, 8 * PGSIZE)
         == (void *) (A + 4 * PGSIZE),
         "mmap of 2 pages at 0x10004000, just after it, works");
  CHECK (mmap ((void *) (A - 2 * PGSIZE), 2 * PGSIZE, 0, fd, 0)
         == (void *) (A - 2 * PGSIZE),
         "mmap of 2 pages at 0x0fffe000, just before it, works");
  CHECK (A[3 * PGSIZE + 1] == pattern (3 * PGSIZE + 1)
         && A[4 * PGSIZE + 1] == pattern (8 * PGSIZE + 1)
         && A[-1] == pattern (2 * PGSIZE - 1),
         "each shows its own part of the file");
}
