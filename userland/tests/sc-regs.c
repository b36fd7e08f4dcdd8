/* sc-regs: a system call preserves every register except rax (the
   result), rcx and r11: rbx, rbp, rsp, rdi, rsi, rdx, r8-r10, r12-r15
   and the SSE registers xmm0, xmm7 and xmm15. */
#include "test.h"

/* probe(): loads a pattern into each register, makes one WRITE system
   call of probe_text, stores the registers into regs_after[], restores
   the callee-saved ones and returns the call's result. */
uint64_t regs_after[14];
uint64_t rsp_before, rsp_after;
uint64_t xmm_in[2] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
uint64_t xmm_after[6];
const char probe_text[] = "(sc-regs) one write with all the registers set.\n";
long probe (void);

__asm__ (
  "        .text\n"
  "        .globl probe\n"
  "probe:\n"
  "        push %rbx\n"
  "        push %rbp\n"
  "        push %r12\n"
  "        push %r13\n"
  "        push %r14\n"
  "        push %r15\n"
  "        mov %rsp, rsp_before(%rip)\n"
  "        movdqu xmm_in(%rip), %xmm0\n"
  "        movdqu xmm_in(%rip), %xmm7\n"
  "        movdqu xmm_in(%rip), %xmm15\n"
  "        movabs $0x1111111111111111, %rbx\n"
  "        movabs $0x2222222222222222, %rbp\n"
  "        movabs $0x3333333333333333, %r8\n"
  "        movabs $0x4444444444444444, %r9\n"
  "        movabs $0x5555555555555555, %r10\n"
  "        movabs $0xcccccccccccccccc, %r12\n"
  "        movabs $0xdddddddddddddddd, %r13\n"
  "        movabs $0xeeeeeeeeeeeeeeee, %r14\n"
  "        movabs $0x7fffffffffffffff, %r15\n"
  "        mov $1, %edi\n"
  "        lea probe_text(%rip), %rsi\n"
  "        mov $48, %edx\n"
  "        mov $10, %eax\n"
  "        syscall\n"
  "        mov %rsp, rsp_after(%rip)\n"
  "        mov %rbx, regs_after+0(%rip)\n"
  "        mov %rbp, regs_after+8(%rip)\n"
  "        mov %rdi, regs_after+16(%rip)\n"
  "        mov %rsi, regs_after+24(%rip)\n"
  "        mov %rdx, regs_after+32(%rip)\n"
  "        mov %r8, regs_after+40(%rip)\n"
  "        mov %r9, regs_after+48(%rip)\n"
  "        mov %r10, regs_after+56(%rip)\n"
  "        mov %r12, regs_after+64(%rip)\n"
  "        mov %r13, regs_after+72(%rip)\n"
  "        mov %r14, regs_after+80(%rip)\n"
  "        mov %r15, regs_after+88(%rip)\n"
  "        movdqu %xmm0, xmm_after+0(%rip)\n"
  "        movdqu %xmm7, xmm_after+16(%rip)\n"
  "        movdqu %xmm15, xmm_after+32(%rip)\n"
  "        pop %r15\n"
  "        pop %r14\n"
  "        pop %r13\n"
  "        pop %r12\n"
  "        pop %rbp\n"
  "        pop %rbx\n"
  "        ret\n");

void
test_main (void)
{
  static const char *names[] = { "rbx", "rbp", "rdi", "rsi", "rdx", "r8",
                                 "r9", "r10", "r12", "r13", "r14", "r15" };
  uint64_t want[12] = { 0x1111111111111111ULL, 0x2222222222222222ULL, 1,
                        (uintptr_t) probe_text, 48,
                        0x3333333333333333ULL, 0x4444444444444444ULL,
                        0x5555555555555555ULL, 0xccccccccccccccccULL,
                        0xddddddddddddddddULL, 0xeeeeeeeeeeeeeeeeULL,
                        0x7fffffffffffffffULL };
  long result;
  int i;

  _Static_assert (sizeof probe_text - 1 == 48, "probe_text length");
  result = probe ();
  CHECK (result == 48, "the write returned 48");
  for (i = 0; i < 12; i++)
    if (regs_after[i] != want[i])
      fail ("%s is %#lx after the call, expected %#lx", names[i],
            regs_after[i], want[i]);
  msg ("rbx rbp rdi rsi rdx r8 r9 r10 r12 r13 r14 r15 preserved");
  CHECK (rsp_after == rsp_before, "rsp preserved");
  for (i = 0; i < 6; i++)
    if (xmm_after[i] != xmm_in[i % 2])
      fail ("xmm register %d changed", i / 2 == 0 ? 0 : i / 2 == 1 ? 7 : 15);
  msg ("xmm0 xmm7 xmm15 preserved");
}
