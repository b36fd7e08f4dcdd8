/* open-twice: opening the same file twice gives two different
   descriptors, each with its own position. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char a[8], b[8];
  int fd1, fd2;

  CHECK ((fd1 = open ("sample.txt")) > 1, "open sample.txt once");
  CHECK ((fd2 = open ("sample.txt")) > 1, "open sample.txt again");
  CHECK (fd1 != fd2, "the two descriptors differ");
  CHECK (read (fd1, a, 8) == 8, "read 8 bytes through the first");
  CHECK (read (fd2, b, 8) == 8, "read 8 bytes through the second");
  check_bytes (a, sample, 8, "first read");
  check_bytes (b, sample, 8, "second read");
  msg ("both reads start at offset 0");
}
