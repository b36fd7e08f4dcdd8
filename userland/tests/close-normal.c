/* close-normal: after close() the descriptor is dead (read returns -1);
   the file itself opens again. */
#include "test.h"

void
test_main (void)
{
  char buf[4];
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  close (fd);
  msg ("close it");
  CHECK (read (fd, buf, sizeof buf) == -1, "read of the closed descriptor returns -1");
  CHECK (open ("sample.txt") > 1, "open sample.txt again");
}
