/* bad-write: a user-mode write to address 0 kills the process (exit -1). */
#include "test.h"

void
test_main (void)
{
  volatile int *p = NULL;

  __asm__ ("" : "+r" (p));
  msg ("write *(int *) NULL");
  *p = 42;
  fail ("should have died");
}
