/* vm-mm-write: writes through a writable mapping reach the file when it is
   unmapped.  Every page of a 64 KiB file gets a 16-byte label, page 9 is
   first filled with 0x99; after munmap, read() returns the new bytes where
   they were written and the old ones everywhere else, and the size is
   unchanged.  The file is also fetched after the run. */
#include "test.h"

#define A ((unsigned char *) 0x10000000)
#define SIZE 65536
#define PAGES (SIZE / PGSIZE)

static unsigned char back[SIZE];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

/* Where page K's label goes, and the label. */
static size_t
label_offset (size_t k)
{
  return k * PGSIZE + 100 + k * 16;
}

static void
make_label (char label[17], size_t k)
{
  snprintf (label, 17, "page %02zu changed!", k);
}

/* Byte I of the file after the writes. */
static unsigned char
expected (size_t i)
{
  size_t k = i / PGSIZE;
  char label[17];

  if (i >= label_offset (k) && i < label_offset (k) + 16)
    {
      make_label (label, k);
      return label[i - label_offset (k)];
    }
  return k == 9 ? 0x99 : pattern (i);
}

void
test_main (void)
{
  char label[17];
  size_t k, i;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, SIZE, 1, fd, 0) == A, "mmap 64 KiB writable at 0x10000000");
  memset (A + 9 * PGSIZE, 0x99, PGSIZE);
  for (k = 0; k < PAGES; k++)
    {
      make_label (label, k);
      memcpy (A + label_offset (k), label, 16);
    }
  msg ("wrote a label in every page and filled page 9");
  for (i = 0; i < SIZE; i++)
    if (A[i] != expected (i))
      fail ("mapping byte %zu is 0x%02x, expected 0x%02x", i, A[i],
            expected (i));
  msg ("the mapping reads back what was written");
  munmap (A);
  msg ("munmap");
  CHECK (filesize (fd) == SIZE, "the file is still 65536 bytes long");
  seek (fd, 0);
  CHECK (read (fd, back, SIZE) == SIZE, "read the whole file");
  for (i = 0; i < SIZE; i++)
    if (back[i] != expected (i))
      fail ("file byte %zu is 0x%02x, expected 0x%02x", i, back[i],
            expected (i));
  msg ("the file holds the new bytes and the old ones elsewhere");
  close (fd);
}
