/* cow-eager: with the kernel option cow=0, fork copies eagerly.  Right
   after fork, before anyone writes, the child's frame for a page the
   parent had touched already differs from the parent's (int $0x42), and
   holds the parent's data.  The child's page is its own at once: writing
   it keeps the same frame.  The parent, after wait, still has its frame
   and its data.  The accounting line must show no page shared at fork
   and no copy made on a write (cow_shared == 0, cow_breaks == 0). */
#include "test.h"

#define WORDS (PGSIZE / sizeof (uint32_t))

static volatile uint32_t page[WORDS] __attribute__ ((aligned (4096))) = { 1 };
static volatile uint32_t bss[WORDS] __attribute__ ((aligned (4096)));

static uint32_t
value (size_t i, uint32_t seed)
{
  return (uint32_t) i * 2246822519u + seed;
}

static bool
holds (volatile uint32_t *p, uint32_t seed)
{
  size_t i;

  for (i = 0; i < WORDS; i++)
    if (p[i] != value (i, seed))
      return false;
  return true;
}

static void
fill (volatile uint32_t *p, uint32_t seed)
{
  size_t i;

  for (i = 0; i < WORDS; i++)
    p[i] = value (i, seed);
}

void
test_main (void)
{
  uintptr_t pf, bf;
  pid_t pid;

  fill (page, 11);
  fill (bss, 22);
  pf = frame_of ((const void *) page);
  bf = frame_of ((const void *) bss);
  CHECK (pf != 0 && bf != 0, "parent: filled two pages");

  pid = fork ("child");
  if (pid == 0)
    {
      uintptr_t cf = frame_of ((const void *) page);
      uintptr_t cb = frame_of ((const void *) bss);

      CHECK (cf != 0 && cf != pf && cb != 0 && cb != bf,
             "child: before any write, its frames differ from the parent's");
      CHECK (holds (page, 11) && holds (bss, 22),
             "child: they hold the parent's data");
      fill (page, 33);
      fill (bss, 44);
      CHECK (frame_of ((const void *) page) == cf
             && frame_of ((const void *) bss) == cb,
             "child: writing keeps its frames");
      CHECK (holds (page, 33) && holds (bss, 44),
             "child: reads back its own data");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (frame_of ((const void *) page) == pf
         && frame_of ((const void *) bss) == bf,
         "parent: its frames are the ones it had");
  CHECK (holds (page, 11) && holds (bss, 22),
         "parent: its data is intact");
}
