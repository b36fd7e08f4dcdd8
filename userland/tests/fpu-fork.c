/* fpu-fork: SSE state is per process: parent and child run the same
   long floating-point computation at the same time (so the scheduler
   switches between them mid-loop) with different inputs, and each gets
   exactly the result it got alone before the fork. */
#include "test.h"

#define ROUNDS 8000000

static double
crunch (double x)
{
  double y = 0.0;
  int i;

  for (i = 0; i < ROUNDS; i++)
    {
      y = y * 0.999999 + x;
      x = x * 1.0000001 - 0.0000003;
    }
  return y;
}

static bool
same (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

void
test_main (void)
{
  double alone_parent = crunch (1.25), alone_child = crunch (-3.5);
  pid_t pid;

  msg ("computed both results alone");
  pid = fork ("child");
  if (pid == 0)
    {
      if (!same (crunch (-3.5), alone_child))
        fail ("child: the result changed while running beside the parent");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  if (!same (crunch (1.25), alone_parent))
    fail ("parent: the result changed while running beside the child");
  CHECK (wait (pid) == 0, "the child got its result again");
  msg ("the parent got its result again");
}
