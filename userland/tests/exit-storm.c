/* exit-storm: many short-lived processes, and a last one to end that
   varies from run to run: the parent forks 8 children, each forks a
   grandchild and exits at once, and each grandchild spins for a while
   that depends on the time-stamp counter before it exits.  The parent
   waits for its children only, so the run ends with orphans ending at
   their own pace.  `make fuzz` boots it 50 times to check that the
   accounting at power-off never sees a process's leftovers. */
#include "test.h"

#define CHILDREN 8

static uint64_t
rdtsc (void)
{
  uint32_t lo, hi;
  __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi));
  return (uint64_t) hi << 32 | lo;
}

static void
grandchild (void)
{
  volatile unsigned long i;
  unsigned long n = 1000 + rdtsc () % 50000;
  for (i = 0; i < n; i++)
    continue;
  exit (0);
}

/* Child K: fork grandchild K and exit at once. */
static void
child (int k)
{
  char name[16];
  pid_t g;

  snprintf (name, sizeof name, "grandchild%d", k);
  g = fork (name);
  if (g == 0)
    grandchild ();
  exit (g > 0 ? 0 : 1);
}

void
test_main (void)
{
  pid_t pids[CHILDREN];
  int c;

  fork_children ("child", CHILDREN, child, pids);
  for (c = 0; c < CHILDREN; c++)
    if (wait (pids[c]) != 0)
      fail ("child %d did not fork its grandchild", c);
  msg ("%d children forked a grandchild each and exited", CHILDREN);
}
