/* orphan: processes may outlive their parents: a child forks a grandchild
   and exits at once without waiting for it; the first process waits only
   for the child and ends.  The grandchild runs on (exit lines are
   ignored: the grandchild's comes whenever it ends). */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("child");

  if (pid == 0)
    {
      pid_t g = fork ("grandchild");
      if (g == 0)
        {
          volatile int i;
          for (i = 0; i < 100000; i++)
            continue;
          exit (0);
        }
      exit (g > 0 ? 0 : 1);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "the child forked the grandchild and exited");
}
