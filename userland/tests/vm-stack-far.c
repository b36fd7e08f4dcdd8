/* vm-stack-far: a write 64 KiB below the stack pointer is not stack
   growth (only accesses at or above rsp - 8 are): it kills the process
   (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("write 64 KiB below the stack pointer");
  __asm__ volatile ("movq $1, -65536(%%rsp)" ::: "memory");
  fail ("the write far below rsp did not kill the process");
}
