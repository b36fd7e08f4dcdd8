/* vm-mm-offset: mmap with a non-zero (page-aligned) offset shows the file
   from that offset, and writes go back to the right place in the file:
   3 pages from offset 8192, then the last page of the file.  The file is
   fetched after the run. */
#include "test.h"

#define A ((unsigned char *) 0x10000000)

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

void
test_main (void)
{
  char buf[21];
  size_t i;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, 3 * PGSIZE, 1, fd, 8192) == A,
         "mmap 3 pages from offset 8192");
  for (i = 0; i < 3 * PGSIZE; i++)
    if (A[i] != pattern (8192 + i))
      fail ("mapping byte %zu is 0x%02x, expected 0x%02x", i, A[i],
            pattern (8192 + i));
  msg ("they show file bytes 8192..20479");
  memcpy (A + 4108, "at file offset 12300", 20);
  munmap (A);
  seek (fd, 12300);
  CHECK (read (fd, buf, 20) == 20 && !memcmp (buf, "at file offset 12300", 20),
         "a write at mapping byte 4108 reached file offset 12300");
  CHECK (mmap (A, PGSIZE, 1, fd, 61440) == A,
         "mmap 1 page from offset 61440, the last page");
  CHECK (A[0] == pattern (61440) && A[4095] == pattern (65535),
         "it shows file bytes 61440..65535");
  memcpy (A + 4076, "the very end of file", 20);
  munmap (A);
  seek (fd, 65516);
  CHECK (read (fd, buf, 21) == 20 && !memcmp (buf, "the very end of file", 20),
         "a write at its end reached the end of the file");
  CHECK (filesize (fd) == 65536, "the file is still 65536 bytes long");
}
