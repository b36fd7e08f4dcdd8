/* vm-swap-procs: several processes under memory pressure at once: four
   children run together, each writing its own 384 KiB array (96 pages;
   user_pages=64 for all of them) with a pattern of its own, then checking
   it forwards and backwards.  The parent waits for them in order; each
   exits with 10 + its number when all was right. */
#include "test.h"

#define CHILDREN 4
#define WORDS (96 * 1024)             /* 384 KiB of 32-bit words */

static uint32_t arr[WORDS];

static uint32_t
value (size_t i, int child)
{
  return (uint32_t) (i * 2246822519u) + child * 0x01000193u;
}

static void
child_work (int child)
{
  size_t i;
  for (i = 0; i < WORDS; i++)
    arr[i] = value (i, child);
  for (i = 0; i < WORDS; i++)
    if (arr[i] != value (i, child))
      fail ("child %d: word %zu is wrong going forwards", child, i);
  for (i = WORDS; i-- > 0;)
    if (arr[i] != value (i, child))
      fail ("child %d: word %zu is wrong going backwards", child, i);
  exit (10 + child);
}

void
test_main (void)
{
  pid_t pids[CHILDREN];
  char name[16];
  int c;

  for (c = 0; c < CHILDREN; c++)
    {
      snprintf (name, sizeof name, "child%d", c);
      pids[c] = fork (name);
      if (pids[c] == 0)
        child_work (c);
      if (pids[c] < 0)
        fail ("fork %d failed", c);
    }
  msg ("forked 4 children");
  for (c = 0; c < CHILDREN; c++)
    CHECK (wait (pids[c]) == 10 + c, "child%d checked its 384 KiB: wait returns %d",
           c, 10 + c);
}
