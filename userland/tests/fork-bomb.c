/* fork-bomb: a chain of processes, each forking a child that does the
   same, until fork returns -1 (out of memory or processes); then the
   chain unwinds, each process passing the depth below it up through
   wait.  The run must end cleanly: no panic, no hang, nothing leaked
   (the harness checks the accounting), and fork works again afterwards.

   The first process stays out of the chain: it forks the chain's head
   and waits, so it does not run while memory is exhausted.  Processes in
   the chain may be killed when they touch memory the kernel can no
   longer provide (with demand paging and no swap that is the kernel's
   choice); a killed process passes -1 up.  So the output depends neither
   on the depth reached nor on such kills (exit lines are ignored). */
#include "test.h"

/* Forks a child that does the same; returns the number of processes
   below this one, or -1 if one of them was killed. */
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
  pid_t head = fork ("bomb");
  int depth;

  if (head == 0)
    exit (descend ());
  if (head < 0)
    fail ("the first fork failed");
  depth = wait (head);
  CHECK (depth >= -1, "the chain has ended");
  head = fork ("again");
  if (head == 0)
    exit (5);
  CHECK (head > 0 && wait (head) == 5, "fork works again afterwards");
}
