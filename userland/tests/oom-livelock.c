/* oom-livelock: a process that cannot get the frames one instruction
   needs is killed, it does not fault forever (issue 9, finding 4).  With
   a user pool of 32 pages and no swap disk, the loop writes a 4 MiB .bss
   array a page at a time while reading a page of .rodata: once memory
   is full, the code page and the .rodata page evict each other at every
   fault, and no instruction completes.  The process must be killed (-1,
   no "end" line), whatever the rule that decides it (docs/vm.md).  The
   read goes through a volatile pointer at an index the compiler cannot
   know: a read of ro[0] alone would be folded into a constant, and the
   loop would never touch .rodata. */
#include "test.h"

#define BIG (4 * 1024 * 1024)

static char big[BIG];
static const char ro[PGSIZE] = { 1 };

void
test_main (void)
{
  volatile unsigned sum = 0;
  size_t i;

  for (i = 0; i < BIG; i += PGSIZE)
    {
      ((volatile char *) big)[i] = 1;
      sum += ((const volatile char *) ro)[(i / PGSIZE) % PGSIZE];
    }
}

