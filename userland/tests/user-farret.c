/* user-farret: a program's own far return and iret to its own code
   segment.  On hardware both simply work (they read the program's stack
   with its own rights).  QEMU's TCG reads that stack with supervisor
   rights, which SMAP refuses: the page fault arrives from user mode with
   the error code's U bit clear, and the kernel must take it for the
   program's fault (it kills the program), never for its own (it used to
   panic).  Either outcome passes; a panic or a hang does not. */
#include "test.h"

static void
far_return (void)
{
  __asm__ volatile ("pushq $0x23\n\t"
                    "leaq 1f(%%rip), %%rax\n\t"
                    "pushq %%rax\n\t"
                    "lretq\n"
                    "1:" : : : "rax", "memory");
}

static void
interrupt_return (void)
{
  __asm__ volatile ("movq %%rsp, %%rax\n\t"
                    "pushq $0x1b\n\t"
                    "pushq %%rax\n\t"
                    "pushfq\n\t"
                    "pushq $0x23\n\t"
                    "leaq 1f(%%rip), %%rax\n\t"
                    "pushq %%rax\n\t"
                    "iretq\n"
                    "1:" : : : "rax", "memory", "cc");
}

static void
try (const char *name, void (*fn) (void))
{
  pid_t pid = fork (name);
  int status;

  if (pid == 0)
    {
      fn ();
      exit (7);
    }
  if (pid < 0)
    fail ("fork failed");
  status = wait (pid);
  if (status == 7)
    msg ("%s: returned to the program", name);
  else
    CHECK (status == -1, "%s: killed", name);
}

void
test_main (void)
{
  try ("lretq", far_return);
  try ("iretq", interrupt_return);
}
