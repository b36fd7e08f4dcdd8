/* vm-mm-close: a mapping keeps its own reference to the file: after the
   descriptor is closed the mapping is still readable and writable, and
   munmap still writes back (checked by opening the file again, and by
   fetching it after the run). */
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
  char buf[11];
  size_t i;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, 65536, 1, fd, 0) == (void *) A,
         "mmap it writable");
  close (fd);
  CHECK (read (fd, buf, 1) == -1, "close the descriptor: read() on it fails");
  for (i = 0; i < 65536; i += 511)
    if (A[i] != pattern (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, A[i], pattern (i));
  msg ("the mapping still reads as the file");
  memcpy ((void *) (A + 4 * PGSIZE), "after close", 11);
  CHECK (!memcmp ((void *) (A + 4 * PGSIZE), "after close", 11),
         "write 11 bytes at offset 16384 through it");
  munmap ((void *) A);
  CHECK ((fd = open ("vm-data-64k")) > 1, "munmap, open the file again");
  seek (fd, 4 * PGSIZE);
  CHECK (read (fd, buf, 11) == 11 && !memcmp (buf, "after close", 11),
         "the 11 bytes are in the file");
  close (fd);
}
