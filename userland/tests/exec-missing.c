/* exec-missing: exec of a file that does not exist prints
   "load: NAME: open failed", NAME being the first word of the command
   line, and ends the caller with -1: first in a forked child (with
   arguments after the name), then in the first process itself. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("child");

  if (pid == 0)
    {
      exec ("missing-prog with two args");
      fail ("child: exec returned");
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == -1, "wait for the child returns -1");
  exec ("no-such-file");
  fail ("exec returned");
}
