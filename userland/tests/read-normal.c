/* read-normal: read() of a whole file returns its size and its exact
   bytes; a further read at end of file returns 0. */
#include "test.h"
#include "sample.h"

static char buf[1024];

void
test_main (void)
{
  int fd, n;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  n = read (fd, buf, sizeof buf);
  if (n != (int) SAMPLE_SIZE)
    fail ("read returned %d, expected %zu", n, SAMPLE_SIZE);
  check_bytes (buf, sample, SAMPLE_SIZE, "sample.txt");
  msg ("read the whole file and it matches");
  CHECK (read (fd, buf, sizeof buf) == 0, "read at end of file returns 0");
}
