/* A sibling that must keep working beside a hostile process (issue 18;
   vm-mm-huge, vm-kmem-mmap, vm-elf-huge).  SIBLING_STEPS times it faults
   in a new page, opens FILE and forks a child "grandchild" that exits with
   the step's number; then it checks its pages, creates DONE and exits 0.
   Any failure fails it (exit 1).  The number of steps proves nothing by
   itself: a hostile process that took what the sibling needs (kernel
   memory, the VM lock for good) fails or stalls the first step already,
   and vm-mm-huge's timeout rests on its own rounds, not on these steps.
   Each step costs, though: while the sibling waits for its grandchild, a
   hostile process that never blocks runs a whole time slice (40 ms), so
   8 steps rather than 32. */
#ifndef USER_SIBLING_H
#define USER_SIBLING_H

#include "test.h"

#define SIBLING_STEPS 8

static char sibling_pages[SIBLING_STEPS * PGSIZE];

static void __attribute__ ((noreturn))
sibling_steps (const char *file, const char *done)
{
  int i, fd;
  pid_t pid;

  for (i = 0; i < SIBLING_STEPS; i++)
    {
      sibling_pages[i * PGSIZE] = (char) i;       /* a new page: a fault */
      if ((fd = open (file)) < 2)
        fail ("sibling: open failed at step %d", i);
      close (fd);
      if ((pid = fork ("grandchild")) == 0)
        exit (i);
      if (pid < 0 || wait (pid) != i)
        fail ("sibling: fork or wait failed at step %d", i);
    }
  for (i = 0; i < SIBLING_STEPS; i++)
    if (sibling_pages[i * PGSIZE] != (char) i)
      fail ("sibling: page %d lost its byte", i);
  if (!create (done, 0))
    fail ("sibling: create %s failed", done);
  exit (0);
}

#endif
