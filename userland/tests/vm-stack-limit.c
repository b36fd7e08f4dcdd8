/* vm-stack-limit: the stack may not grow beyond 1 MiB below USER_STACK: a
   push with rsp exactly at that limit writes 8 bytes below it and kills
   the process (exit -1). */
#include "test.h"

#define LIMIT (USER_STACK - (1UL << 20))

void
test_main (void)
{
  msg ("push with rsp at 1 MiB below the stack top");
  __asm__ volatile ("movq %%rsp, %%rbx\n\t"
                    "movq %0, %%rsp\n\t"
                    "pushq $0x77\n\t"
                    "movq %%rbx, %%rsp"
                    : : "r" (LIMIT) : "rbx", "memory");
  fail ("the push below the stack limit did not kill the process");
}
