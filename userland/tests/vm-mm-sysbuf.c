/* vm-mm-sysbuf: mapped pages work as system-call buffers before they are
   touched: read() fills 5000 bytes across three untouched pages of a
   writable mapping, and write() copies 6000 bytes to a new file from
   untouched pages of a read-only mapping.  The results are checked, and
   the read() bytes reach the first file at munmap. */
#include "test.h"

#define A ((unsigned char *) 0x10000000)
#define B ((unsigned char *) 0x20000000)

static unsigned char buf[6000];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

void
test_main (void)
{
  int a, b, src, out;
  size_t i;

  CHECK ((a = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, 65536, 1, a, 0) == A, "mmap it writable at 0x10000000");
  CHECK ((src = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (frame_of (A + 3 * PGSIZE) == 0 && frame_of (A + 4 * PGSIZE) == 0
         && frame_of (A + 5 * PGSIZE) == 0,
         "pages 3, 4 and 5 of the mapping are not loaded");
  CHECK (read (src, A + 4 * PGSIZE - 100, 5000) == 5000,
         "read() 5000 bytes into them");
  for (i = 0; i < 5000; i++)
    if (A[4 * PGSIZE - 100 + i] != pattern (i))
      fail ("byte %zu read is 0x%02x", i, A[4 * PGSIZE - 100 + i]);
  msg ("the mapping holds the bytes read");

  CHECK ((b = open ("vm-data-256k")) > 1, "open vm-data-256k");
  CHECK (mmap (B, 262144, 0, b, 0) == B, "mmap it read-only at 0x20000000");
  CHECK (create ("out", 0) && (out = open ("out")) > 1, "create out");
  CHECK (write (out, B + 10 * PGSIZE + 50, 6000) == 6000,
         "write() 6000 bytes from untouched pages of the mapping to out");
  seek (out, 0);
  CHECK (read (out, buf, sizeof buf) == 6000, "read out back");
  for (i = 0; i < 6000; i++)
    if (buf[i] != pattern (10 * PGSIZE + 50 + i))
      fail ("byte %zu of out is 0x%02x", i, buf[i]);
  msg ("out holds the mapped bytes");

  munmap (A);
  seek (a, 4 * PGSIZE - 100);
  CHECK (read (a, buf, 5000) == 5000, "munmap, read vm-data-64k back");
  for (i = 0; i < 5000; i++)
    if (buf[i] != pattern (i))
      fail ("byte %zu of vm-data-64k is 0x%02x", 4 * PGSIZE - 100 + i,
            buf[i]);
  msg ("the bytes read() into the mapping reached the file");
}
