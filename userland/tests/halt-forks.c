/* halt-forks [SEED | spin]: halt stops every process, also one forked by
   a fork that was already under way when halt was called (its parent
   inside fork, its child not made yet) and one inside exec: no process
   returns to user mode after halt, so the machine powers off.

   FORKERS processes fork in a loop; with the kernel option fork_yield=1
   each fork yields before it makes its child, so at any moment most of
   them are inside fork with no child yet.  A child exits at once, unless
   the file "halting" exists: then it spins forever, and only halt can end
   it.  The first process creates that file, then halts.  A child that
   returns to user mode after halt began keeps the machine running until
   the watchdog fires; one made before halt began is ended by it.

   With SEED (make fuzz's halt group), the halt comes after 1 to 40 forks
   of the first forker, as SEED picks, and every third child execs
   `halt-forks spin`, which does what a child does, so that execs are
   under way too. */
#include "test.h"

#define FORKERS 6
#define WARMUP 10                 /* forks of forker 0 before the halt */

static int warmup = WARMUP;
static unsigned seed;

/* What a child does: exit at once, or spin until halt ends it once
   "halting" exists. */
static void __attribute__ ((noreturn))
child (void)
{
  if (open ("halting") >= 0)
    for (;;)
      continue;
  exit (0);
}

static pid_t
fork_child (int n)
{
  pid_t pid = fork ("c");
  if (pid == 0)
    {
      if (seed != 0 && n % 3 == 0)
        exec ("halt-forks spin");
      child ();
    }
  return pid;
}

/* Forks in a loop, waiting for each child only after the next one is
   made, so that it spends its time in fork and has at most two children
   at a time. */
static void
forker (int k)
{
  pid_t prev = fork_child (0);
  for (int n = 1;; n++)
    {
      pid_t next = fork_child (n);
      wait (prev);
      prev = next;
      if (k == 0 && n == warmup)
        create ("forked", 0);     /* the forkers are under way */
    }
}

int
main (int argc, char *argv[])
{
  pid_t pids[FORKERS];

  if (argc > 1 && strcmp (argv[1], "spin") == 0)
    child ();
  if (argc > 1)
    {
      seed = (unsigned) atoi (argv[1]) * 2654435761u + 1;
      warmup = 1 + seed % 40;
    }
  msg ("begin");
  fork_children ("forker", FORKERS, forker, pids);
  await_file ("forked");
  if (!create ("halting", 0))
    fail ("create halting failed");
  msg ("halting with forks in flight");
  halt ();
}
