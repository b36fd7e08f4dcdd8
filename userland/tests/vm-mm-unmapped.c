/* vm-mm-unmapped: after munmap the pages are gone: reading a page that
   was loaded before munmap kills the process (exit -1). */
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
  CHECK (mmap ((void *) A, 65536, 0, fd, 0) == (void *) A,
         "mmap 64 KiB read-only");
  CHECK (A[PGSIZE + 1] == pattern (PGSIZE + 1),
         "read a byte of page 1");
  munmap ((void *) A);
  msg ("munmap, then read the byte again");
  (void) A[PGSIZE + 1];
  fail ("reading an unmapped page did not kill the process");
}
