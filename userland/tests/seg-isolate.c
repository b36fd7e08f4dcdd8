/* seg-isolate: the data-segment selectors (%ds, %es, %fs, %gs) are part
   of a process's state.  A program may load the user selectors into
   them; another process must never see those values, and a forked child
   starts with its parent's.  The kernel neither uses nor reloads these
   registers on entry, so unless a thread switch saves and restores them,
   the selectors a child loads just before it exits are still loaded when
   its waiting parent runs again. */
#include "test.h"

struct sels
{
  unsigned long ds, es, fs, gs;
};

static struct sels
read_sels (void)
{
  struct sels s;
  __asm__ volatile ("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                    : "=r" (s.ds), "=r" (s.es), "=r" (s.fs), "=r" (s.gs));
  return s;
}

static void
load_sels (unsigned long ds, unsigned long es, unsigned long fs,
           unsigned long gs)
{
  __asm__ volatile ("mov %0, %%ds; mov %1, %%es; mov %2, %%fs; mov %3, %%gs"
                    : : "r" (ds), "r" (es), "r" (fs), "r" (gs));
}

void
test_main (void)
{
  struct sels mine, child;
  pid_t pid;

  load_sels (0, 0, 0x1b, 0);
  mine = read_sels ();
  CHECK (mine.fs == 0x1b && mine.gs == 0, "this process: fs 0x1b, gs 0");

  pid = fork ("child");
  if (pid == 0)
    {
      child = read_sels ();
      if (child.fs != 0x1b || child.gs != 0)
        exit (2);                       /* did not inherit the parent's */
      load_sels (0x1b, 0x23, 0x23, 0x1b);
      exit (0);
    }
  CHECK (wait (pid) == 0, "the child started with fs 0x1b, gs 0 and "
         "loaded others");
  child = read_sels ();
  CHECK (child.ds == mine.ds && child.es == mine.es && child.fs == 0x1b
         && child.gs == 0, "this process still has its own selectors "
         "(ds %#lx es %#lx fs %#lx gs %#lx)", child.ds, child.es, child.fs,
         child.gs);
  load_sels (mine.ds, mine.es, 0, 0);
}
