/* write-grow: writing at the end of a file, and past it after a seek,
   grows the file; the gap reads as zeros. */
#include "test.h"

static char buf[5000];

void
test_main (void)
{
  int fd, i;

  memset (buf, 'a', 100);
  CHECK (create ("grow.txt", 0), "create grow.txt");
  CHECK ((fd = open ("grow.txt")) > 1, "open grow.txt");
  CHECK (write (fd, buf, 100) == 100, "write 100 bytes");
  CHECK (filesize (fd) == 100, "filesize is 100");
  seek (fd, 5000);
  CHECK (write (fd, "0123456789", 10) == 10, "write 10 bytes at offset 5000");
  CHECK (filesize (fd) == 5010, "filesize is 5010");
  CHECK (tell (fd) == 5010, "tell is 5010");
  seek (fd, 100);
  memset (buf, 'x', sizeof buf);
  CHECK (read (fd, buf, 4900) == 4900, "read the 4900-byte gap");
  for (i = 0; i < 4900; i++)
    if (buf[i] != 0)
      fail ("gap byte %d is 0x%02x", 100 + i, (unsigned char) buf[i]);
  msg ("the gap is zero-filled");
  CHECK (read (fd, buf, 100) == 10, "the last read returns the 10 bytes");
  check_bytes (buf, "0123456789", 10, "tail");
}
