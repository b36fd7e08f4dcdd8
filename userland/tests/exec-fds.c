/* exec-fds: exec keeps the open descriptors and their positions: the
   parent reads 6 bytes, then a forked child execs child-readfd, which
   reads the next 14 through the same descriptor number. */
#include "test.h"

void
test_main (void)
{
  char cmdline[32];
  char buf[6];
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (read (fd, buf, 6) == 6, "read 6 bytes");
  snprintf (cmdline, sizeof cmdline, "child-readfd %d 14", fd);
  CHECK (wait (spawn ("child", cmdline)) == 0, "wait returns 0");
}
