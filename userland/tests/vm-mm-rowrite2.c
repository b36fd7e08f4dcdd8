/* vm-mm-rowrite2: writing to a page of a read-only mapping that has been
   read (so it is loaded) kills the process (exit -1). */
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
  CHECK (A[3 * PGSIZE + 1] == pattern (3 * PGSIZE + 1),
         "read its page 3");
  CHECK (frame_of ((void *) (A + 3 * PGSIZE)) != 0, "page 3 is loaded");
  msg ("write to page 3");
  A[3 * PGSIZE + 10] = 1;
  fail ("the write to a read-only mapping did not kill the process");
}
