/* io-check: file data under injected disk errors (the io-* tests).

   io-check read NAME
     reads NAME, a file holding the pattern of the vm-data-* files, 4 KiB
     at a time.  A read that comes back short before the end of the file
     is reported with its offset and the next read starts at the next
     4 KiB boundary; every byte that does come back must match the
     pattern.  Exits with the number of short reads.

   io-check write NAME SIZE
     creates NAME and writes SIZE bytes of the pattern in 4 KiB writes,
     reporting a short one and stopping there; then reads back what was
     written and checks every byte.  Exits with 1 after a short write. */
#include "test.h"

#define CHUNK 4096

static unsigned char buf[CHUNK];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

/* Fails unless the N bytes at BUF are the pattern from offset OFS. */
static void
check_chunk (size_t ofs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (buf[i] != pattern (ofs + i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", ofs + i, buf[i],
            pattern (ofs + i));
}

/* Reads all of NAME (see the file comment); returns the short reads. */
static int
read_file (const char *name)
{
  int fd, size, shorts = 0;
  size_t ofs, good = 0;

  if ((fd = open (name)) < 2)
    fail ("open %s", name);
  size = filesize (fd);
  msg ("%s: %d bytes", name, size);
  for (ofs = 0; ofs < (size_t) size; ofs += CHUNK)
    {
      size_t want = (size_t) size - ofs < CHUNK ? (size_t) size - ofs : CHUNK;
      int got;
      seek (fd, ofs);
      got = read (fd, buf, want);
      if (got < 0 || (size_t) got > want)
        fail ("read at offset %zu returned %d", ofs, got);
      check_chunk (ofs, got);
      good += got;
      if ((size_t) got != want)
        {
          msg ("read of %zu bytes at offset %zu returned %d", want, ofs, got);
          shorts++;
        }
    }
  msg ("%zu bytes read, all as in the file", good);
  close (fd);
  return shorts;
}

/* Writes SIZE bytes of the pattern to a new file NAME, then checks them
   (see the file comment); returns 1 after a short write. */
static int
write_file (const char *name, size_t size)
{
  int fd;
  size_t ofs, done = 0;

  if (!create (name, 0) || (fd = open (name)) < 2)
    fail ("create and open %s", name);
  for (ofs = 0; ofs < size; ofs += CHUNK)
    {
      size_t n = size - ofs < CHUNK ? size - ofs : CHUNK;
      int got;
      for (size_t i = 0; i < n; i++)
        buf[i] = pattern (ofs + i);
      got = write (fd, buf, n);
      if (got > 0)
        done += got;
      if ((size_t) got != n)
        {
          msg ("write of %zu bytes at offset %zu returned %d", n, ofs, got);
          break;
        }
    }
  msg ("wrote %zu bytes to %s", done, name);
  for (ofs = 0; ofs < done; ofs += CHUNK)
    {
      size_t n = done - ofs < CHUNK ? done - ofs : CHUNK;
      seek (fd, ofs);
      if (read (fd, buf, n) != (int) n)
        fail ("read back at offset %zu failed", ofs);
      check_chunk (ofs, n);
    }
  msg ("read back %zu bytes, all as written", done);
  close (fd);
  return done != size;
}

int
main (int argc, char *argv[])
{
  if (argc == 3 && !strcmp (argv[1], "read"))
    return read_file (argv[2]);
  if (argc == 4 && !strcmp (argv[1], "write"))
    return write_file (argv[2], atoi (argv[3]));
  fail ("usage: io-check read NAME | io-check write NAME SIZE");
}
