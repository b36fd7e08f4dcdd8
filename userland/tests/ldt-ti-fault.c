/* ldt-ti-fault: a segment selector with TI=1 names the local descriptor
   table.  Folio keeps the LDT null, so loading such a selector into any
   segment register is a #GP in user mode and kills the program; the kernel
   must never take the CPU's implicit read of the table for a fault of its
   own.  Issue 9, finding 1: with the LDT register at its reset value (base
   0, limit 0xffff) the CPU read the "descriptor" at linear 0xfff8 or 0,
   unmapped, and the kernel panicked on the page fault.

   Each load runs in a child; the parent checks that it was killed (a
   child that survives prints "NAME: not killed"). */
#include "test.h"

struct load
{
  const char *name;
  unsigned short selector;
  int reg;                      /* 0 ds, 1 es, 2 fs, 3 gs, 4 ss, 5 cs */
};

static const struct load loads[] = {
  { "ds-ffff", 0xffff, 0 },     /* index 0x1fff: offset 0xfff8 */
  { "es-0004", 0x0004, 1 },     /* index 0, RPL 0: offset 0 */
  { "fs-ffff", 0xffff, 2 },
  { "gs-0007", 0x0007, 3 },     /* index 0, RPL 3 */
  { "ss-ffff", 0xffff, 4 },
  { "cs-000f", 0x000f, 5 },     /* a far jump to LDT entry 1 */
};

static void
load (const void *arg)
{
  const struct load *l = arg;
  unsigned long sel = l->selector;

  switch (l->reg)
    {
    case 0:
      __asm__ volatile ("mov %0, %%ds" : : "r" (sel));
      break;
    case 1:
      __asm__ volatile ("mov %0, %%es" : : "r" (sel));
      break;
    case 2:
      __asm__ volatile ("mov %0, %%fs" : : "r" (sel));
      break;
    case 3:
      __asm__ volatile ("mov %0, %%gs" : : "r" (sel));
      break;
    case 4:
      __asm__ volatile ("mov %0, %%ss" : : "r" (sel));
      break;
    case 5:
      {
        /* A far jump through memory (m16:32): unlike a far return it
           reads no stack, so the selector is the only thing checked. */
        struct __attribute__ ((packed))
        {
          unsigned int off;
          unsigned short sel;
        } to = { 0, (unsigned short) sel };
        __asm__ volatile ("leaq 1f(%%rip), %%rax\n\t"
                          "movl %%eax, %0\n\t"
                          "ljmp *%0\n"
                          "1:" : "+m" (to) : : "rax", "memory");
      }
      break;
    }
}

void
test_main (void)
{
  size_t i;

  for (i = 0; i < sizeof loads / sizeof loads[0]; i++)
    check_killed (loads[i].name, load, &loads[i]);
}
