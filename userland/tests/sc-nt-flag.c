/* sc-nt-flag: a system call made with EFLAGS.NT set works like any other.
   Issue 9, finding 3: the `syscall` flag mask did not clear NT, so the
   kernel ran with NT=1 and its `iretq` back to user mode raised #GP in
   ring 0 (a panic).  The kernel must run with NT clear whatever the
   program set; the program's own flags come back as they were (NT
   included: it is the program's, and means nothing to the CPU until the
   program itself executes `iret`). */
#include "test.h"

#define FLAG_NT 0x4000UL

/* tell (-1) with NT set; returns the result and the flags after it. */
static long
tell_with_nt (unsigned long *flags_after)
{
  long result;
  unsigned long flags;

  __asm__ volatile ("pushfq\n\t"
                    "orq %[nt], (%%rsp)\n\t"
                    "popfq\n\t"
                    "syscall\n\t"
                    "pushfq\n\t"
                    "popq %[flags]\n\t"
                    "pushfq\n\t"
                    "andq %[not_nt], (%%rsp)\n\t"
                    "popfq"
                    : "=a" (result), [flags] "=&r" (flags)
                    : "a" ((long) SYS_TELL), "D" (-1L),
                      [nt] "i" (FLAG_NT), [not_nt] "i" (~FLAG_NT)
                    : "rcx", "r11", "memory", "cc");
  *flags_after = flags;
  return result;
}

void
test_main (void)
{
  unsigned long flags;
  long result = tell_with_nt (&flags);

  CHECK ((unsigned) result == (unsigned) -1, "tell (-1) with NT set returns -1");
  CHECK (flags & FLAG_NT, "NT is still set when the call returns");
}
