/* sc-noncanon-sp: the kernel never uses the user's rsp, and returns to a
   program whose rsp is not canonical: a system call, an `int $0x42` and a
   spin long enough for timer interrupts, each with rsp =
   0x8000000000000000, all come back with rsp unchanged.  (A return path
   that checked or used the user rsp would fault in ring 0.) */
#include "test.h"

#define BAD_RSP 0x8000000000000000UL

void
test_main (void)
{
  uintptr_t after_syscall, after_int, after_spin;
  long tell_result;

  __asm__ volatile ("mov %%rsp, %%r12\n\t"
                    "movabs %[bad], %%rsp\n\t"
                    "syscall\n\t"
                    "mov %%rsp, %1\n\t"
                    "mov %%r12, %%rsp"
                    : "=a" (tell_result), "=&r" (after_syscall)
                    : "a" ((long) SYS_TELL), "D" (-1L), [bad] "i" (BAD_RSP)
                    : "rcx", "r11", "r12", "memory");
  CHECK ((unsigned) tell_result == (unsigned) -1,
         "tell (-1) with a non-canonical rsp returns -1");
  CHECK (after_syscall == BAD_RSP, "rsp came back unchanged");

  __asm__ volatile ("mov %%rsp, %%r12\n\t"
                    "movabs %[bad], %%rsp\n\t"
                    "xorl %%eax, %%eax\n\t"
                    "int $0x42\n\t"
                    "mov %%rsp, %0\n\t"
                    "mov %%r12, %%rsp"
                    : "=r" (after_int) : [bad] "i" (BAD_RSP)
                    : "rax", "r12", "memory");
  CHECK (after_int == BAD_RSP, "int $0x42: rsp came back unchanged");

  __asm__ volatile ("mov %%rsp, %%r12\n\t"
                    "movabs %[bad], %%rsp\n\t"
                    "mov $50000000, %%ecx\n"
                    "1:\tdec %%ecx\n\t"
                    "jnz 1b\n\t"
                    "mov %%rsp, %0\n\t"
                    "mov %%r12, %%rsp"
                    : "=r" (after_spin) : [bad] "i" (BAD_RSP)
                    : "rcx", "r12", "memory", "cc");
  CHECK (after_spin == BAD_RSP, "a long spin: rsp came back unchanged");
}
