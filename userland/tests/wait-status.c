/* wait-status: an exit status is a whole int: wait returns exactly what
   each child passed to exit (0, 255, 256, -5, INT_MAX, INT_MIN), and the
   exit lines show the same numbers. */
#include "test.h"

void
test_main (void)
{
  static const int statuses[] = { 0, 255, 256, -5, 0x7fffffff,
                                  -0x7fffffff - 1 };
  unsigned i;

  for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
    {
      pid_t pid = fork ("child");
      if (pid == 0)
        exit (statuses[i]);
      if (pid < 0)
        fail ("fork failed");
      CHECK (wait (pid) == statuses[i], "wait returns %d", statuses[i]);
    }
}
