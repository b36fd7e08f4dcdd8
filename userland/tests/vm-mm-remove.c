/* vm-mm-remove: a mapping keeps the file alive: after the descriptor is
   closed and the file removed (it can no longer be opened), the mapping
   is still readable and writable, and munmap after that is harmless. */
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
  size_t i;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, 65536, 1, fd, 0) == (void *) A,
         "mmap it writable");
  CHECK (A[PGSIZE] == pattern (PGSIZE), "touch page 1");
  close (fd);
  CHECK (remove ("vm-data-64k"), "close it and remove it");
  CHECK (open ("vm-data-64k") == -1, "it can no longer be opened");
  for (i = 0; i < 65536; i += 509)
    if (A[i] != pattern (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, A[i], pattern (i));
  msg ("the mapping still reads as the file");
  for (i = 0; i < 65536; i += PGSIZE)
    A[i + 7] = i / PGSIZE + 1;
  for (i = 0; i < 65536; i += PGSIZE)
    if (A[i + 7] != i / PGSIZE + 1)
      fail ("page %zu did not keep its write", i / PGSIZE);
  msg ("a write to every page reads back");
  munmap ((void *) A);
  msg ("munmap");
}
