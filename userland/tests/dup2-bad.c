/* dup2-bad: dup2 from a descriptor that is not open (negative, unused,
   closed) returns -1 and leaves the target descriptor as it was. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[5];
  int fd, closed;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK ((closed = open ("sample.txt")) > 1, "open it again");
  close (closed);
  CHECK (dup2 (-1, fd) == -1, "dup2 (-1, fd) returns -1");
  CHECK (dup2 (1234, fd) == -1, "dup2 (1234, fd) returns -1");
  CHECK (dup2 (closed, fd) == -1, "dup2 (closed, fd) returns -1");
  CHECK (read (fd, buf, 5) == 5 && memcmp (buf, sample, 5) == 0,
         "fd still reads sample.txt from the start");
  CHECK (dup2 (99, 9) == -1 && read (9, buf, 5) == -1,
         "dup2 (99, 9) returns -1 and 9 stays closed");
}
