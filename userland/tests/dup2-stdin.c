/* dup2-stdin: input redirection: after dup2 (file, 0), read (0, ...)
   reads the file. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[10];
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (dup2 (fd, STDIN_FILENO) == STDIN_FILENO, "dup2 (fd, 0) returns 0");
  CHECK (read (STDIN_FILENO, buf, 10) == 10, "read 10 bytes from fd 0");
  check_bytes (buf, sample, 10, "fd 0");
  msg ("they are the file's first 10 bytes");
}
