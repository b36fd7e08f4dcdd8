/* child-chain N: a child program for exec-chain: prints how many execs
   are left, then execs "child-chain N-1"; at 0 it exits with 99. */
#include "test.h"

static char cmdline[64];

int
main (int argc, char *argv[])
{
  int n = argc > 1 ? atoi (argv[1]) : 0;

  if (n == 0)
    {
      msg ("last link, exiting with 99");
      return 99;
    }
  msg ("%d more to go", n);
  snprintf (cmdline, sizeof cmdline, "child-chain %d", n - 1);
  exec (cmdline);
  fail ("exec returned");
}
