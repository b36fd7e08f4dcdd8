/* vm-stack-push: a push with the stack pointer at a page boundary 64 KiB
   below the grown stack writes 8 bytes below rsp, into a page not yet
   there: that is stack growth, so it works and the page gets a frame. */
#include "test.h"

void
test_main (void)
{
  uintptr_t here = (uintptr_t) __builtin_frame_address (0);
  uintptr_t target = pg_round_down (here) - 16 * PGSIZE;
  long got;

  CHECK (frame_of ((void *) (target - 8)) == 0,
         "the page below a boundary 64 KiB down has no frame");
  __asm__ volatile ("movq %%rsp, %%rbx\n\t"
                    "movq %1, %%rsp\n\t"
                    "pushq $0x1234\n\t"
                    "popq %0\n\t"
                    "movq %%rbx, %%rsp"
                    : "=&r" (got) : "r" (target) : "rbx", "memory");
  CHECK (got == 0x1234, "push and pop there with rsp at the boundary work");
  CHECK (frame_of ((void *) (target - 8)) != 0, "that page has a frame now");
}
