/* rox-child: an executable can be written while nothing runs it, not
   while a child runs it (through the child's own descriptor or one it
   inherited across fork and exec), and again once the child has exited. */
#include "test.h"

void
test_main (void)
{
  char cmdline[32];
  char byte;
  int fd;

  CHECK ((fd = open ("child-rox")) > 1, "open child-rox");
  CHECK (read (fd, &byte, 1) == 1, "read its first byte");
  seek (fd, 0);
  CHECK (write (fd, &byte, 1) == 1, "write it back: 1 byte written");
  snprintf (cmdline, sizeof cmdline, "child-rox %d", fd);
  CHECK (wait (spawn ("child", cmdline)) == 0, "wait for the child returns 0");
  seek (fd, 0);
  CHECK (write (fd, &byte, 1) == 1, "write it back again: 1 byte written");
}
