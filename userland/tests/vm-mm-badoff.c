/* vm-mm-badoff: mmap with a file offset that is not a multiple of the
   page size fails (returns NULL); offsets 0 and 4096 work and show the
   file's bytes from that offset. */
#include "test.h"

#define GOOD ((volatile unsigned char *) 0x10000000)

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
  CHECK (mmap ((void *) GOOD, PGSIZE, 0, fd, 100) == MAP_FAILED,
         "mmap at offset 100 returns NULL");
  CHECK (mmap ((void *) GOOD, PGSIZE, 0, fd, 4095) == MAP_FAILED,
         "mmap at offset 4095 returns NULL");
  CHECK (mmap ((void *) GOOD, PGSIZE, 0, fd, 2048) == MAP_FAILED,
         "mmap at offset 2048 returns NULL");
  CHECK (mmap ((void *) GOOD, PGSIZE, 0, fd, 4096) == (void *) GOOD,
         "mmap at offset 4096 works");
  CHECK (GOOD[0] == pattern (4096) && GOOD[4095] == pattern (8191),
         "it shows the file's bytes 4096..8191");
  munmap ((void *) GOOD);
  CHECK (mmap ((void *) GOOD, PGSIZE, 0, fd, 0) == (void *) GOOD,
         "mmap at offset 0 works");
  CHECK (GOOD[0] == pattern (0) && GOOD[4095] == pattern (4095),
         "it shows the file's bytes 0..4095");
}
