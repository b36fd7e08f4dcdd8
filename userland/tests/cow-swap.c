/* cow-swap: copy-on-write fork under memory pressure.  With the user pool
   capped at 64 frames, the parent fills a 192-page array (three times the
   pool), so most of it is in swap when it forks: the child shares the
   resident frames and the swap slots.  Parent and child then both check
   every word of the array three times over, at the same time, so shared
   frames are evicted (from both) and swapped back in by either.  Then
   each changes half of the pages (the parent the even ones, the child the
   odd ones) and checks the whole array twice more: its own half holds its
   new values, the other half the values from before fork.  After the
   child has exited (dropping its share of every frame and slot) the
   parent checks once more.

   The parent prints nothing between fork and wait (a failed check prints
   FAIL, which the expected output does not have), so the child's lines
   come first. */
#include "test.h"

#define PAGES 192
#define WORDS (PGSIZE / sizeof (uint64_t))

static volatile uint64_t big[PAGES * WORDS] __attribute__ ((aligned (4096)));

enum { BEFORE_FORK = 1, PARENT_AFTER = 2, CHILD_AFTER = 3 };

static uint64_t
value (int who, size_t page, size_t i)
{
  uint64_t v = (uint64_t) who * 0x9e3779b97f4a7c15ull;
  return v ^ (page << 40) ^ (i * 0xff51afd7ed558ccdull) ^ (i << 3 | page);
}

static void
fill_page (size_t page, int who)
{
  size_t i;

  for (i = 0; i < WORDS; i++)
    big[page * WORDS + i] = value (who, page, i);
}

/* Fails unless page PAGE holds WHO's values. */
static void
check_page (size_t page, int who, const char *self, int pass)
{
  uint64_t sum = 0, want = 0;
  size_t i;

  for (i = 0; i < WORDS; i++)
    {
      sum += big[page * WORDS + i] * (2 * i + 1);
      want += value (who, page, i) * (2 * i + 1);
    }
  if (sum != want)
    fail ("%s: pass %d: page %zu has a wrong checksum", self, pass, page);
}

/* Checks every page: those with parity MINE hold NEW, the others OLD
   (MINE < 0: all hold OLD). */
static void
check_all (int mine, int new, int old, const char *self, int pass)
{
  size_t page;

  for (page = 0; page < PAGES; page++)
    check_page (page, mine >= 0 && (int) (page % 2) == mine ? new : old,
                self, pass);
}

/* Rewrites the pages of parity MINE with WHO's values. */
static void
change_half (int mine, int who)
{
  size_t page;

  for (page = mine; page < PAGES; page += 2)
    fill_page (page, who);
}

void
test_main (void)
{
  size_t page;
  pid_t pid;
  int pass;

  for (page = 0; page < PAGES; page++)
    fill_page (page, BEFORE_FORK);
  check_all (-1, 0, BEFORE_FORK, "parent", 0);
  msg ("parent: filled %d pages and read them back", PAGES);

  pid = fork ("child");
  if (pid == 0)
    {
      for (pass = 1; pass <= 3; pass++)
        check_all (-1, 0, BEFORE_FORK, "child", pass);
      msg ("child: 3 passes over the shared pages: all intact");
      change_half (1, CHILD_AFTER);
      for (pass = 4; pass <= 5; pass++)
        check_all (1, CHILD_AFTER, BEFORE_FORK, "child", pass);
      msg ("child: changed the odd pages; 2 passes: all as expected");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  for (pass = 1; pass <= 3; pass++)
    check_all (-1, 0, BEFORE_FORK, "parent", pass);
  change_half (0, PARENT_AFTER);
  for (pass = 4; pass <= 5; pass++)
    check_all (0, PARENT_AFTER, BEFORE_FORK, "parent", pass);
  CHECK (wait (pid) == 0, "wait returns 0");
  msg ("parent: 3 passes over the shared pages: all intact");
  msg ("parent: changed the even pages; 2 passes: all as expected");
  check_all (0, PARENT_AFTER, BEFORE_FORK, "parent", 6);
  msg ("parent: after the child's exit: all as expected");
}
