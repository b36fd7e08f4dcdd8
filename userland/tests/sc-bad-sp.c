/* sc-bad-sp: the `syscall` instruction does not use the user stack, so a
   system call made with rsp pointing into kernel space works (the kernel
   must neither use nor check the user rsp) and rsp comes back unchanged;
   a push with that rsp then faults in user mode and kills the process
   (exit -1). */
#include "test.h"

static const char text[] = "(sc-bad-sp) this write was made with rsp in kernel space\n";

void
test_main (void)
{
  long result;
  uintptr_t rsp_after;

  __asm__ volatile ("mov %%rsp, %%r12\n\t"
                    "mov %[bad], %%rsp\n\t"
                    "syscall\n\t"
                    "mov %%rsp, %%r13\n\t"
                    "mov %%r12, %%rsp\n\t"
                    "mov %%r13, %[after]"
                    : "=a" (result), [after] "=r" (rsp_after)
                    : "a" ((long) SYS_WRITE), "D" (1L), "S" (text),
                      "d" (sizeof text - 1), [bad] "r" (KERNEL_HIGH)
                    : "rcx", "r11", "r12", "r13", "memory");
  CHECK (result == (long) sizeof text - 1, "the write returned its length");
  CHECK (rsp_after == KERNEL_HIGH, "rsp came back unchanged");
  msg ("push with rsp in kernel space");
  __asm__ volatile ("mov %0, %%rsp\n\t"
                    "push %%rax"
                    : : "r" (KERNEL_HIGH) : "memory");
  fail ("should have died");
}
