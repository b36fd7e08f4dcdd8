/* fpu-fork-state: fork gives the child the parent's whole FPU/SSE state.
   The parent rounds toward zero on both units, unmasks every SIMD
   exception, puts three values on the x87 stack and fills xmm0-15, then
   forks; the state is saved right after the `syscall` instruction, in the
   same asm statement, in both processes, and each compares it with the
   state saved before the fork (the MXCSR and x87 control word are
   callee-saved in the SysV ABI: a fork inside a function that set a
   rounding mode must keep it). */
#include "fpu.h"

static struct fxarea before, after;

/* fork ("child") with the state saved into AFTER before the compiler can
   touch it. */
static pid_t
fork_and_save (void)
{
  static const char name[] = "child";
  long rax = SYS_FORK;

  __asm__ volatile ("syscall; fxsave %1"
                    : "+a" (rax), "=m" (after)
                    : "D" (name)
                    : "rcx", "r11", "memory", "cc");
  return (pid_t) rax;
}

void
test_main (void)
{
  fpu_dirty (0x80);
  fpu_save (&before);
  pid_t pid = fork_and_save ();
  fpu_reset ();
  const char *diff = fpu_diff (&after, &before);
  if (pid == 0)
    {
      if (diff != NULL)
        fail ("child: its %s differs from the parent's", diff);
      msg ("child: x87 control and status, MXCSR, st0-7 and xmm0-15 are the parent's");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  if (diff != NULL)
    fail ("parent: its %s changed across fork", diff);
  CHECK (wait (pid) == 0, "child checked its state");
  msg ("parent: its state is unchanged across fork");
}
