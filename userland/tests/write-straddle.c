/* write-straddle: write() from a buffer that starts in the top page of
   the stack and runs past USER_STACK into unmapped memory kills the
   caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK (create ("out.txt", 0), "create out.txt");
  CHECK ((fd = open ("out.txt")) > 1, "open out.txt");
  msg ("write 64 bytes from 16 bytes below USER_STACK");
  write (fd, (const void *) (USER_STACK - 16), 64);
  fail ("write returned");
}
