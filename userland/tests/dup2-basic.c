/* dup2-basic: dup2 (old, new) returns new, and both descriptors then
   share one position; closing one leaves the other working; dup2 onto an
   open descriptor replaces what it referred to; dup2 (fd, fd) returns
   fd. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[16];
  int fd, other;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (dup2 (fd, 7) == 7, "dup2 (fd, 7) returns 7");
  CHECK (read (fd, buf, 10) == 10, "read 10 bytes through fd");
  CHECK (read (7, buf, 5) == 5, "read 5 bytes through 7");
  check_bytes (buf, sample + 10, 5, "read through 7");
  msg ("they are bytes 10 to 14: the position is shared");
  CHECK (tell (fd) == 15, "tell (fd) is 15");
  CHECK (dup2 (fd, fd) == fd, "dup2 (fd, fd) returns fd");
  close (fd);
  CHECK (read (7, buf, 5) == 5 && memcmp (buf, sample + 15, 5) == 0,
         "after close (fd), 7 still reads bytes 15 to 19");
  CHECK ((other = open ("ladder.txt")) > 1, "open ladder.txt");
  CHECK (dup2 (7, other) == other, "dup2 (7, ladder's descriptor)");
  CHECK (read (other, buf, 5) == 5 && memcmp (buf, sample + 20, 5) == 0,
         "that descriptor now reads sample.txt from byte 20");
}
