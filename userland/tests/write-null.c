/* write-null: write() to a file from a NULL buffer kills the caller
   (exit -1). */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK (create ("out.txt", 0), "create out.txt");
  CHECK ((fd = open ("out.txt")) > 1, "open out.txt");
  msg ("write 10 bytes from NULL");
  write (fd, NULL, 10);
  fail ("write returned");
}
