/* vm-stack-ovfl: runaway recursion (4 KiB frames) grows the stack until
   it passes its 1 MiB limit, and then the process is killed (exit -1);
   the kernel runs on and frees everything. */
#include "test.h"

static volatile int limit = 1000000;

static int __attribute__ ((noinline))
forever (int n)
{
  volatile char frame[4000];
  frame[0] = n;
  if (n >= limit)
    return 0;
  return forever (n + 1) + frame[0];
}

void
test_main (void)
{
  msg ("recurse with 4 KiB frames until the stack passes 1 MiB");
  forever (0);
  fail ("a stack deeper than 1 MiB did not kill the process");
}
