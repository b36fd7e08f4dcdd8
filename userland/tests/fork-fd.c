/* fork-fd: the child inherits the parent's open descriptors at their
   current positions, as independent copies: the child's reads do not
   move the parent's position. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[10];
  int fd;
  pid_t pid;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (read (fd, buf, 10) == 10, "read 10 bytes");
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (read (fd, buf, 10) == 10 && memcmp (buf, sample + 10, 10) == 0,
             "child: the inherited descriptor reads bytes 10 to 19");
      CHECK (read (fd, buf, 10) == 10 && memcmp (buf, sample + 20, 10) == 0,
             "child: then bytes 20 to 29");
      close (fd);
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (read (fd, buf, 10) == 10 && memcmp (buf, sample + 10, 10) == 0,
         "parent: still reads bytes 10 to 19");
}
