/* vm-swap-sort: four children exec vm-sort, each sorting its own 128 KiB
   array at the same time under user_pages=24 (each alone needs more than
   that); the parent waits for them in order and each must exit with 0. */
#include "test.h"

#define CHILDREN 4

void
test_main (void)
{
  pid_t pids[CHILDREN];
  char name[16], cmd[32];
  int c;

  for (c = 0; c < CHILDREN; c++)
    {
      snprintf (name, sizeof name, "sort%d", c);
      snprintf (cmd, sizeof cmd, "vm-sort %d", c + 1);
      pids[c] = spawn (name, cmd);
    }
  msg ("started 4 sorts");
  for (c = 0; c < CHILDREN; c++)
    CHECK (wait (pids[c]) == 0, "sort%d: wait returns 0", c);
}
