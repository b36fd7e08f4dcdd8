/* vm-mm-tail: a 5000-byte file mapped with length 5000 takes two pages;
   the 3192 bytes past the end of the file read as zeros.  Writes there
   are allowed but never reach the file: after munmap the size is still
   5000 and only the bytes written inside the file changed; mapped again,
   the tail reads as zeros again.  The file is fetched after the run. */
#include "test.h"

#define A ((unsigned char *) 0x10000000)
#define SIZE 5000

static unsigned char back[2 * 4096];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

static bool
tail_is_zero (void)
{
  size_t i;
  for (i = SIZE; i < 2 * PGSIZE; i++)
    if (A[i] != 0)
      return false;
  return true;
}

void
test_main (void)
{
  size_t i;
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (A, SIZE, 1, fd, 0) == A, "mmap 5000 bytes writable");
  CHECK (A[4096] == pattern (4096) && A[4999] == pattern (4999),
         "bytes 4096 and 4999 read as in the file");
  CHECK (tail_is_zero (), "bytes 5000..8191 read as zeros");
  memset (A + 4990, 0xee, 20);
  A[8191] = 0x77;
  CHECK (A[4990] == 0xee && A[5009] == 0xee && A[8191] == 0x77,
         "write bytes 4990..5009 and byte 8191");
  munmap (A);
  CHECK (filesize (fd) == SIZE, "munmap: the file is still 5000 bytes long");
  CHECK (read (fd, back, sizeof back) == SIZE, "read() returns 5000 bytes");
  for (i = 0; i < SIZE; i++)
    if (back[i] != (i >= 4990 ? 0xee : pattern (i)))
      fail ("file byte %zu is 0x%02x", i, back[i]);
  msg ("bytes 4990..4999 changed, the rest did not");
  CHECK (mmap (A, 2 * PGSIZE, 0, fd, 0) == A, "mmap 8192 bytes read-only");
  CHECK (A[4990] == 0xee && tail_is_zero (),
         "byte 4990 is 0xee, bytes 5000..8191 are zeros again");
  munmap (A);
  close (fd);
}
