/* fork-many: sixteen children alive at once, each exiting with its own
   status; the parent waits for them in order and gets each status.  (The
   children's exit lines come in any order, so the test ignores exit
   lines; the statuses come from wait.) */
#include "test.h"

#define CHILDREN 16

void
test_main (void)
{
  pid_t pids[CHILDREN];
  char name[16];
  int i;

  for (i = 0; i < CHILDREN; i++)
    {
      snprintf (name, sizeof name, "child%d", i);
      pids[i] = fork (name);
      if (pids[i] == 0)
        exit (100 + i);
      if (pids[i] < 0)
        fail ("fork %d failed", i);
    }
  for (i = 0; i < CHILDREN; i++)
    {
      int status = wait (pids[i]);
      if (status != 100 + i)
        fail ("child %d: wait returned %d, expected %d", i, status, 100 + i);
    }
  msg ("all 16 statuses came back");
  for (i = 0; i < CHILDREN; i++)
    if (wait (pids[i]) != -1)
      fail ("second wait for child %d did not return -1", i);
  msg ("waiting again returns -1 for each");
}
