/* dup2-fork: fork copies descriptors Unix-style: in the child two
   descriptors that were dup2 copies still share one position with each
   other, but not with the parent's. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[5];
  int fd, status;
  pid_t pid;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (dup2 (fd, 9) == 9, "dup2 (fd, 9)");
  CHECK (read (fd, buf, 5) == 5, "read 5 bytes");
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (read (9, buf, 5) == 5 && memcmp (buf, sample + 5, 5) == 0,
             "child: 9 reads bytes 5 to 9");
      CHECK (read (fd, buf, 5) == 5 && memcmp (buf, sample + 10, 5) == 0,
             "child: fd then reads bytes 10 to 14");
      exit (3);
    }
  if (pid < 0)
    fail ("fork failed");
  status = wait (pid);
  CHECK (status == 3, "wait returns 3");
  CHECK (read (9, buf, 5) == 5 && memcmp (buf, sample + 5, 5) == 0,
         "parent: 9 still reads bytes 5 to 9");
}
