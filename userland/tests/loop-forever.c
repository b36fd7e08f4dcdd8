/* loop-forever: spins in user mode and never exits.  The harness's own
   test of a hang in a user loop: its timeout report must name spin() and
   its line. */
#include "test.h"

static void __attribute__ ((noinline))
spin (void)
{
  for (volatile unsigned long n = 0;; n++)
    continue;
}

void
test_main (void)
{
  msg ("spinning");
  spin ();
}
