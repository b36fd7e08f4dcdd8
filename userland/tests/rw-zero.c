/* rw-zero: read() and write() of 0 bytes return 0, touch nothing and do
   not move the file position; a 0-byte write to the console prints
   nothing. */
#include "test.h"

void
test_main (void)
{
  char buf[4] = "abc";
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (read (fd, buf, 0) == 0, "read of 0 bytes returns 0");
  CHECK (strcmp (buf, "abc") == 0, "the buffer is untouched");
  CHECK (write (fd, buf, 0) == 0, "write of 0 bytes to a file returns 0");
  CHECK (tell (fd) == 0, "the position is still 0");
  CHECK (write (STDOUT_FILENO, "oops\n", 0) == 0,
         "write of 0 bytes to the console returns 0");
}
