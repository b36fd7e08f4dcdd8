/* bad-jump: calling address 0 kills the process (exit -1). */
#include "test.h"

void
test_main (void)
{
  void (*f) (void) = NULL;

  __asm__ ("" : "+r" (f));
  msg ("call address 0");
  f ();
  fail ("should have died");
}
