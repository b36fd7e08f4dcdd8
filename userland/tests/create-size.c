/* create-size: create (name, 5000) makes a 5000-byte zero-filled file
   (more than one 4 KiB block); reading at its end returns 0. */
#include "test.h"

static char buf[6000];

void
test_main (void)
{
  int fd, n, i;

  memset (buf, 'x', sizeof buf);
  CHECK (create ("sized", 5000), "create sized with 5000 bytes");
  CHECK ((fd = open ("sized")) > 1, "open sized");
  CHECK (filesize (fd) == 5000, "filesize is 5000");
  n = read (fd, buf, sizeof buf);
  if (n != 5000)
    fail ("read returned %d, expected 5000", n);
  for (i = 0; i < 5000; i++)
    if (buf[i] != 0)
      fail ("byte %d is 0x%02x, expected 0", i, (unsigned char) buf[i]);
  msg ("all 5000 bytes are zero");
  CHECK (read (fd, buf, 10) == 0, "read at end of file returns 0");
}
