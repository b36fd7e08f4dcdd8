/* bad-insn: CPU exceptions in user mode other than page faults kill the
   process (exit -1) and nothing else: an invalid opcode (ud2), a divide
   by zero, privileged instructions (cli, hlt, reading cr3), int3, and an
   `int` to a vector the kernel does not open to user mode. */
#include "test.h"

static void
die (int how)
{
  volatile int zero = 0;

  switch (how)
    {
    case 0:
      __asm__ volatile ("ud2");
      break;
    case 1:
      msg ("quotient %d", 7 / zero);
      break;
    case 2:
      __asm__ volatile ("cli");
      break;
    case 3:
      __asm__ volatile ("hlt");
      break;
    case 4:
      {
        unsigned long cr3;
        __asm__ volatile ("mov %%cr3, %0" : "=r" (cr3));
        msg ("cr3 %#lx", cr3);
      }
      break;
    case 5:
      __asm__ volatile ("int3");
      break;
    case 6:
      __asm__ volatile ("int $0x0d");
      break;
    }
}

void
test_main (void)
{
  static const char *names[] = { "ud2", "divide-by-zero", "cli", "hlt",
                                 "mov-cr3", "int3", "int-0x0d" };
  int i;

  for (i = 0; i < (int) (sizeof names / sizeof names[0]); i++)
    {
      pid_t pid = fork (names[i]);
      if (pid == 0)
        {
          die (i);
          fail ("%s: still alive", names[i]);
        }
      if (pid < 0)
        fail ("fork failed");
      CHECK (wait (pid) == -1, "%s: wait returns -1", names[i]);
    }
  msg ("survived them all");
}
