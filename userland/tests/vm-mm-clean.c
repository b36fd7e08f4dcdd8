/* vm-mm-clean: clean mapped pages are never written back.  A file is
   mapped and every page read (so all are loaded, none written); then
   write() changes the file under the mapping; after munmap the file still
   holds what write() put there.  Done with a read-only mapping and with a
   writable one that is only read.  The file is fetched after the run. */
#include "test.h"

#define A ((volatile unsigned char *) 0x10000000)
#define SIZE 65536

static unsigned
read_all (void)
{
  unsigned sum = 0;
  size_t i;
  for (i = 0; i < SIZE; i += 64)
    sum += A[i];
  return sum;
}

/* Maps the file (WRITABLE or not), reads every page, writes TEXT with
   write() at OFFSET, unmaps and checks that TEXT is in the file. */
static void
round_trip (int fd, int writable, unsigned offset, const char *text)
{
  size_t n = strlen (text);
  char buf[64];

  CHECK (mmap ((void *) A, SIZE, writable, fd, 0) == (void *) A,
         "mmap 64 KiB %s", writable ? "writable" : "read-only");
  read_all ();
  CHECK (frame_of ((void *) A) != 0
         && frame_of ((void *) (A + SIZE - 1)) != 0,
         "read every page: all are loaded");
  seek (fd, offset);
  CHECK (write (fd, text, n) == (int) n, "write() %zu bytes at %u", n,
         offset);
  munmap ((void *) A);
  msg ("munmap");
  seek (fd, offset);
  CHECK (read (fd, buf, n) == (int) n && !memcmp (buf, text, n),
         "the file still holds what write() put there");
}

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  round_trip (fd, 0, 8192, "written by write(), not by munmap");
  round_trip (fd, 1, 40000, "and again, under a writable mapping");
  close (fd);
}
