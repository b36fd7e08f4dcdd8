/* halt-forks: halt stops every process, also one forked by a fork that
   was already under way when halt was called (its parent inside fork,
   its child not made yet): no process returns to user mode after halt,
   so the machine powers off.

   FORKERS processes fork in a loop; with the kernel option fork_yield=1
   each fork yields before it makes its child, so at any moment most of
   them are inside fork with no child yet.  A child exits at once, unless
   the file "halting" exists: then it spins forever, and only halt can end
   it.  The first process creates that file, then halts.  A child that
   returns to user mode after halt began keeps the machine running until
   the watchdog fires; one made before halt began is ended by it. */
#include "test.h"

#define FORKERS 6
#define WARMUP 10                 /* forks of forker 0 before the halt */

/* A child that exits at once, or spins until halt ends it once "halting"
   exists. */
static pid_t
fork_child (void)
{
  pid_t pid = fork ("c");
  if (pid == 0)
    {
      if (open ("halting") >= 0)
        for (;;)
          continue;
      exit (0);
    }
  return pid;
}

/* Forks in a loop, waiting for each child only after the next one is
   made, so that it spends its time in fork and has at most two children
   at a time. */
static void
forker (int k)
{
  pid_t prev = fork_child ();
  for (int n = 1;; n++)
    {
      pid_t next = fork_child ();
      wait (prev);
      prev = next;
      if (k == 0 && n == WARMUP)
        create ("forked", 0);     /* the forkers are under way */
    }
}

void
test_main (void)
{
  pid_t pids[FORKERS];

  fork_children ("forker", FORKERS, forker, pids);
  await_file ("forked");
  if (!create ("halting", 0))
    fail ("create halting failed");
  msg ("halting with forks in flight");
  halt ();
}
