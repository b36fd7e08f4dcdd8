/* open-kaddr: open() with a name at the first kernel address
   (0x8004000000) kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("open (0x8004000000)");
  open ((const char *) KERNEL_BASE);
  fail ("open of a kernel address returned");
}
