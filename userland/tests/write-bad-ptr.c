/* write-bad-ptr: write() to the console from a kernel address kills the
   caller (exit -1) and prints nothing. */
#include "test.h"

void
test_main (void)
{
  msg ("write 10 bytes from 0x8004000000 to the console");
  write (STDOUT_FILENO, (const void *) KERNEL_BASE, 10);
  fail ("write returned");
}
