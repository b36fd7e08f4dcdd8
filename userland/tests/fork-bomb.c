/* fork-bomb: every process forks a child that does the same, until fork
   returns -1 (out of memory or processes); then the whole chain unwinds,
   each process returning the depth below it through wait.  No process
   may be killed, and afterwards fork works again.  The output does not
   depend on how deep the chain got (exit lines are ignored). */
#include "test.h"

/* Returns the number of processes created below this one, or a negative
   number if one of them did not exit normally. */
static int
descend (void)
{
  pid_t pid = fork ("bomb");
  int below;

  if (pid < 0)
    return 0;
  if (pid == 0)
    exit (descend ());
  below = wait (pid);
  return below < 0 ? -1 : below + 1;
}

void
test_main (void)
{
  int depth = descend ();
  pid_t pid;

  CHECK (depth > 0, "fork failed at last, and every process exited normally");
  pid = fork ("again");
  if (pid == 0)
    exit (5);
  CHECK (pid > 0 && wait (pid) == 5, "fork works again afterwards");
}
