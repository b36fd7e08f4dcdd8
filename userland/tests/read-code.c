/* read-code: read() into the program's own code (a read-only page) kills
   the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  msg ("read into the code segment");
  read (fd, (void *) test_main, 10);
  fail ("read into code returned");
}
