/* child-readfd FD N: a child program for exec-fds: reads N bytes from the
   inherited descriptor FD, prints them, and exits with 0 (or 1 when the
   read fails). */
#include "test.h"

static char buf[256];

int
main (int argc, char *argv[])
{
  int fd, n, got;

  if (argc != 3)
    fail ("usage: child-readfd FD N");
  fd = atoi (argv[1]);
  n = atoi (argv[2]);
  if (n < 0 || n >= (int) sizeof buf)
    fail ("bad N");
  got = read (fd, buf, n);
  if (got != n)
    fail ("read returned %d, expected %d", got, n);
  buf[n] = '\0';
  msg ("read '%s' from the inherited descriptor", buf);
  return 0;
}
