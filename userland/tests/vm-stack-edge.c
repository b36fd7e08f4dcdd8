/* vm-stack-edge: the stack may grow to exactly 1 MiB below USER_STACK: a
   push with rsp 8 bytes above that limit writes the lowest stack address
   and works, giving the lowest stack page a frame. */
#include "test.h"

#define LIMIT (USER_STACK - (1UL << 20))

void
test_main (void)
{
  long got;

  CHECK (frame_of ((void *) LIMIT) == 0,
         "the lowest stack page (1 MiB below the top) has no frame");
  __asm__ volatile ("movq %%rsp, %%rbx\n\t"
                    "movq %1, %%rsp\n\t"
                    "pushq $0x77\n\t"
                    "popq %0\n\t"
                    "movq %%rbx, %%rsp"
                    : "=&r" (got) : "r" (LIMIT + 8) : "rbx", "memory");
  CHECK (got == 0x77, "a push writing the lowest stack address works");
  CHECK (frame_of ((void *) LIMIT) != 0, "the lowest stack page has a frame");
}
