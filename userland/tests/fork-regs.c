/* fork-regs: fork copies the registers: in the child (and in the parent)
   every register except rax, rcx and r11 has, right after the call, the
   value it had before it, rsp included. */
#include "test.h"

/* probe(): loads a pattern into each register, calls FORK ("child"),
   stores the registers into regs_after[] and returns fork's result. */
uint64_t regs_after[12];
uint64_t rsp_before, rsp_after;
const char child_name[] = "child";
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
  "        movabs $0x1111111111111111, %rbx\n"
  "        movabs $0x2222222222222222, %rbp\n"
  "        movabs $0x3333333333333333, %r8\n"
  "        movabs $0x4444444444444444, %r9\n"
  "        movabs $0x5555555555555555, %r10\n"
  "        movabs $0xcccccccccccccccc, %r12\n"
  "        movabs $0xdddddddddddddddd, %r13\n"
  "        movabs $0xeeeeeeeeeeeeeeee, %r14\n"
  "        movabs $0x7fffffffffffffff, %r15\n"
  "        movabs $0x6666666666666666, %rdx\n"
  "        movabs $0x7777777777777777, %rsi\n"
  "        lea child_name(%rip), %rdi\n"
  "        mov $2, %eax\n"
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
  "        pop %r15\n"
  "        pop %r14\n"
  "        pop %r13\n"
  "        pop %r12\n"
  "        pop %rbp\n"
  "        pop %rbx\n"
  "        ret\n");

static void
check_regs (const char *who)
{
  static const char *names[] = { "rbx", "rbp", "rdi", "rsi", "rdx", "r8",
                                 "r9", "r10", "r12", "r13", "r14", "r15" };
  const uint64_t want[12] = { 0x1111111111111111ULL, 0x2222222222222222ULL,
                              (uintptr_t) child_name, 0x7777777777777777ULL,
                              0x6666666666666666ULL, 0x3333333333333333ULL,
                              0x4444444444444444ULL, 0x5555555555555555ULL,
                              0xccccccccccccccccULL, 0xddddddddddddddddULL,
                              0xeeeeeeeeeeeeeeeeULL, 0x7fffffffffffffffULL };
  int i;

  for (i = 0; i < 12; i++)
    if (regs_after[i] != want[i])
      fail ("%s: %s is %#lx after fork, expected %#lx", who, names[i],
            regs_after[i], want[i]);
  if (rsp_after != rsp_before)
    fail ("%s: rsp is %#lx after fork, expected %#lx", who, rsp_after,
          rsp_before);
  msg ("%s: all registers as before the call", who);
}

void
test_main (void)
{
  long pid = probe ();

  if (pid == 0)
    {
      check_regs ("child");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait for the child returns 0");
  check_regs ("parent");
}
