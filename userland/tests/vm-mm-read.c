/* vm-mm-read: mmap of a 64 KiB file, read-only.  The mapping is lazy (no
   page has a frame before its first touch, a touched page has one and its
   neighbours still do not), every byte reads as in the file, and munmap
   frees the range (the same range can be mapped again, lazily again). */
#include "test.h"

#define MAP ((volatile unsigned char *) 0x10000000)
#define SIZE 65536

/* The contents of the vm-data-* files: byte I of each. */
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
  CHECK (mmap ((void *) MAP, SIZE, 0, fd, 0) == (void *) MAP,
         "mmap 64 KiB read-only at 0x10000000");
  CHECK (frame_of ((void *) MAP) == 0
         && frame_of ((void *) (MAP + 5 * PGSIZE)) == 0
         && frame_of ((void *) (MAP + SIZE - 1)) == 0,
         "no page of the mapping has a frame yet");
  CHECK (MAP[5 * PGSIZE + 9] == pattern (5 * PGSIZE + 9),
         "byte 20489 reads as in the file");
  CHECK (frame_of ((void *) (MAP + 5 * PGSIZE)) != 0
         && frame_of ((void *) (MAP + 4 * PGSIZE)) == 0
         && frame_of ((void *) (MAP + 6 * PGSIZE)) == 0,
         "page 5 has a frame now, pages 4 and 6 still do not");
  for (i = 0; i < SIZE; i++)
    if (MAP[i] != pattern (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, MAP[i], pattern (i));
  msg ("all 65536 bytes read as in the file");
  munmap ((void *) MAP);
  CHECK (mmap ((void *) MAP, SIZE, 0, fd, 0) == (void *) MAP,
         "after munmap the same range can be mapped again");
  CHECK (frame_of ((void *) (MAP + 5 * PGSIZE)) == 0,
         "the new mapping is lazy too");
  CHECK (MAP[SIZE - 1] == pattern (SIZE - 1), "its last byte is right");
  munmap ((void *) MAP);
  close (fd);
}
