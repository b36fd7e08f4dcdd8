/* create-normal: create() of a new name returns true; the new file opens
   and, created with size 0, is empty. */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK (create ("quux.dat", 0), "create quux.dat");
  CHECK ((fd = open ("quux.dat")) > 1, "open quux.dat");
  CHECK (filesize (fd) == 0, "quux.dat is empty");
}
