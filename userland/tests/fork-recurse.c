/* fork-recurse: a chain of processes five deep: each level forks the
   next ("level1" ... "level5") and waits for it; level 5 exits with 0 and
   each level above exits with its child's status + 1, so the root sees
   4.  Exit lines come bottom up. */
#include "test.h"

#define DEPTH 5

static void
level (int depth)
{
  char name[16];
  pid_t pid;
  int status;

  if (depth == DEPTH)
    {
      msg ("level %d: at the bottom", depth);
      exit (0);
    }
  snprintf (name, sizeof name, "level%d", depth + 1);
  pid = fork (name);
  if (pid == 0)
    level (depth + 1);
  if (pid < 0)
    fail ("level %d: fork failed", depth);
  status = wait (pid);
  msg ("level %d: child returned %d", depth, status);
  if (depth > 0)
    exit (status + 1);
}

void
test_main (void)
{
  level (0);
}
