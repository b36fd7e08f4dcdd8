/* vm-mm-badunmap: munmap of an address that is not the start of a
   mapping does nothing: the second page of a mapping, an unaligned
   address inside it, an address just before it, an unmapped address,
   NULL, the code and a kernel address.  The mapping then still reads
   right in every page, and munmap of its start removes it (the range can
   be mapped again). */
#include "test.h"

#define A ((volatile unsigned char *) 0x10000000)
#define SIZE (4 * 4096)

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

static bool
mapping_intact (void)
{
  size_t i;
  for (i = 0; i < SIZE; i += 97)
    if (A[i] != pattern (i))
      return false;
  return true;
}

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, SIZE, 0, fd, 0) == (void *) A,
         "mmap 4 pages at 0x10000000");
  CHECK (A[0] == pattern (0), "touch its first page");
  munmap ((void *) (A + PGSIZE));
  munmap ((void *) (A + 1));
  munmap ((void *) (A + 3 * PGSIZE + 100));
  munmap ((void *) (A - PGSIZE));
  munmap ((void *) 0x20000000);
  munmap (NULL);
  munmap ((void *) test_main);
  munmap ((void *) KERNEL_BASE);
  munmap ((void *) KERNEL_HIGH);
  msg ("munmap of 9 addresses that start no mapping");
  CHECK (mapping_intact (), "the mapping still reads right in every page");
  CHECK (mmap ((void *) A, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "its range still cannot be mapped again");
  munmap ((void *) A);
  CHECK (mmap ((void *) A, SIZE, 0, fd, 0) == (void *) A,
         "munmap of its start: now the range can be mapped again");
  CHECK (mapping_intact (), "and the new mapping reads right");
}
