/* oom-pair: the out-of-memory rule never kills a program that can
   make progress (docs/vm.md, "Out of memory").  Two children run at once
   in a small user pool with a swap disk, each doing what oom-rep-movs
   does (one `rep movsb` copies a page of .rodata into each page of a
   1 MiB .bss array, so each copy needs its code, its source and its
   destination pages at once) while the other evicts its pages; then each
   checks every page and exits with 10 + its number. */
#include "test.h"
#include "repmovs.h"

#define CHILDREN 2
#define BIG (1024 * 1024)

static char big[BIG];
static const char ro[PGSIZE] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void
child_work (int child)
{
  size_t i;

  for (i = 0; i < BIG; i += PGSIZE)
    {
      rep_movsb (big + i, ro, PGSIZE);
      big[i + 100] = (char) (i / PGSIZE + child);
    }
  for (i = 0; i < BIG; i += PGSIZE)
    {
      if (big[i + 100] != (char) (i / PGSIZE + child))
        fail ("child %d: page %zu lost its stamp", child, i / PGSIZE);
      big[i + 100] = ro[100];
      if (memcmp (big + i, ro, PGSIZE) != 0)
        fail ("child %d: page %zu differs from the .rodata page", child, i / PGSIZE);
    }
  exit (10 + child);
}

void
test_main (void)
{
  pid_t pids[CHILDREN];
  int c;

  fork_children ("copier", CHILDREN, child_work, pids);
  for (c = 0; c < CHILDREN; c++)
    CHECK (wait (pids[c]) == 10 + c, "copier%d copied and checked 1 MiB: wait returns %d",
           c, 10 + c);
}
