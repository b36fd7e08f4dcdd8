/* read-straddle: read() into a buffer that starts in the last mapped page
   and runs into an unmapped one kills the caller (exit -1), even though
   its first bytes are valid. */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  msg ("read 200 bytes into a buffer 100 bytes below an unmapped page");
  read (fd, first_unmapped_page () - 100, 200);
  fail ("read returned");
}
