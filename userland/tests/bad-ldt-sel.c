/* bad-ldt-sel: loading a segment register with a selector of the local
   descriptor table (TI=1), which Folio never sets up, kills the process
   (exit -1) and nothing else, whichever exception the CPU raises for it:
   a general-protection fault when there is no LDT, or a page fault taken
   in user mode by the CPU's own supervisor-level read of the descriptor
   (error code without the user bit), when the LDT register points at
   memory that is not mapped. */
#include "test.h"

static void
load (const void *arg)
{
  int how = *(const int *) arg;
  /* Index 0 and index 511 of the LDT, RPL 3. */
  static const unsigned short sel[] = { 0x0007, 0x0fff };
  unsigned short s = sel[how % 2];

  switch (how / 2)
    {
    case 0:
      __asm__ volatile ("mov %0, %%ds" : : "r" (s));
      break;
    case 1:
      __asm__ volatile ("mov %0, %%es" : : "r" (s));
      break;
    case 2:
      __asm__ volatile ("mov %0, %%fs" : : "r" (s));
      break;
    case 3:
      __asm__ volatile ("mov %0, %%gs" : : "r" (s));
      break;
    }
}

void
test_main (void)
{
  static const char *names[] = { "ds-0", "ds-511", "es-0", "es-511",
                                 "fs-0", "fs-511", "gs-0", "gs-511" };
  int i;

  for (i = 0; i < (int) (sizeof names / sizeof names[0]); i++)
    check_killed (names[i], load, &i);
  msg ("survived them all");
}
