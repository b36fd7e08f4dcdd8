/* vm-swap-file: file-backed pages under memory pressure, with no swap
   disk at all: a 256 KiB file (64 pages) is mapped writable with
   user_pages=32.  Every byte is checked, every page gets a label, every
   byte is checked again through the mapping (dirty pages evicted were
   written back to the file and read again, clean ones dropped and read
   again), and after munmap read() finds the labels in the file, which is
   also fetched after the run. */
#include "test.h"

#define A ((unsigned char *) 0x10000000)
#define SIZE 262144
#define PAGES (SIZE / 4096)

static unsigned char buf[4096];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

/* Page K's label goes at offset (K * 61) % 4000 of the page. */
static size_t
label_at (size_t k)
{
  return k * PGSIZE + k * 61 % 4000;
}

static void
make_label (char label[25], size_t k)
{
  snprintf (label, 25, "label of page %02zu is 24 B", k);
}

static unsigned char
expected (size_t i)
{
  size_t k = i / PGSIZE;
  char label[25];

  if (i >= label_at (k) && i < label_at (k) + 24)
    {
      make_label (label, k);
      return label[i - label_at (k)];
    }
  return pattern (i);
}

void
test_main (void)
{
  char label[25];
  size_t i, k;
  int fd;

  CHECK ((fd = open ("vm-data-256k")) > 1, "open vm-data-256k");
  CHECK (mmap (A, SIZE, 1, fd, 0) == A, "mmap its 64 pages writable");
  for (i = 0; i < SIZE; i++)
    if (A[i] != pattern (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, A[i], pattern (i));
  msg ("every byte reads as in the file");
  for (k = 0; k < PAGES; k++)
    {
      make_label (label, k);
      memcpy (A + label_at (k), label, 24);
    }
  msg ("wrote a label in every page");
  for (i = SIZE; i-- > 0;)
    if (A[i] != expected (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, A[i], expected (i));
  msg ("every byte reads back right, from the end");
  munmap (A);
  seek (fd, 0);
  for (k = 0; k < PAGES; k++)
    {
      if (read (fd, buf, PGSIZE) != PGSIZE)
        fail ("read of page %zu failed", k);
      for (i = 0; i < PGSIZE; i++)
        if (buf[i] != expected (k * PGSIZE + i))
          fail ("file byte %zu is 0x%02x, expected 0x%02x", k * PGSIZE + i,
                buf[i], expected (k * PGSIZE + i));
    }
  msg ("munmap: read() finds every label in the file");
}
