/* bad-read: a user-mode read of address 0 kills the process (exit -1). */
#include "test.h"

void
test_main (void)
{
  volatile int *p = NULL;

  __asm__ ("" : "+r" (p));      /* Hide the NULL from the optimizer. */
  msg ("read *(int *) NULL");
  msg ("read gave %d", *p);
  fail ("should have died");
}
