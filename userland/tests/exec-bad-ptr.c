/* exec-bad-ptr: exec with a command line at a kernel address kills the
   caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("exec (0xffffffff80100000)");
  exec ((const char *) KERNEL_HIGH);
  fail ("exec returned");
}
