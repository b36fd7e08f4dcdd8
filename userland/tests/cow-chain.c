/* cow-chain: a chain of forks, four processes deep (levels 0 to 3), each
   inheriting a page its parent wrote.  Level K checks that it sees the
   marks of levels 0..K-1 and nothing else, and that before writing it
   shares its parent's frame (int $0x42; the parent notes its frame just
   before fork and then only waits).  It then leaves its own mark, which
   gives it a frame of its own, forks the next level and waits for it.
   After wait, each level finds its page exactly as it left it: no mark
   from below.  A .data string is inherited and rewritten the same way.
   Every parent prints nothing between fork and wait, so the output is
   deterministic. */
#include "test.h"

#define DEPTH 3                 /* levels 0..DEPTH */
#define N_MARKS (PGSIZE / sizeof (uint64_t))

static volatile uint64_t marks[N_MARKS] __attribute__ ((aligned (4096)));
static char note[PGSIZE] __attribute__ ((aligned (4096))) = "nobody";
static uintptr_t parent_frame;  /* set by the parent just before fork */

static uint64_t
mark (int k)
{
  return 0x1234567800000000ull + (uint64_t) k * 0x10001ull + 7;
}

/* Fails unless MARKS holds the marks of levels 0..LAST and zeros after. */
static void
check_marks (int k, int last)
{
  size_t i;

  for (i = 0; i < N_MARKS; i++)
    {
      uint64_t want = (int) i <= last ? mark (i) : 0;
      if (marks[i] != want)
        fail ("level %d: mark %zu is 0x%llx, expected 0x%llx", k, i,
              (unsigned long long) marks[i], (unsigned long long) want);
    }
}

static void
level (int k)
{
  char want[32];

  if (k > 0)
    {
      snprintf (want, sizeof want, "written by level %d", k - 1);
      check_marks (k, k - 1);
      CHECK (!strcmp (note, want), "level %d: sees the marks of levels 0 to %d",
             k, k - 1);
      CHECK (frame_of ((const void *) marks) == parent_frame,
             "level %d: shares its parent's frame", k);
    }
  marks[k] = mark (k);
  snprintf (note, sizeof note, "written by level %d", k);
  CHECK (frame_of ((const void *) marks) != 0
         && (k == 0 || frame_of ((const void *) marks) != parent_frame),
         "level %d: left its mark in a frame of its own", k);
  if (k < DEPTH)
    {
      char name[8];
      pid_t pid;

      snprintf (name, sizeof name, "lvl%d", k + 1);
      parent_frame = frame_of ((const void *) marks);
      pid = fork (name);
      if (pid == 0)
        {
          level (k + 1);
          exit (0);
        }
      if (pid < 0)
        fail ("level %d: fork failed", k);
      CHECK (wait (pid) == 0, "level %d: wait returns 0", k);
    }
  snprintf (want, sizeof want, "written by level %d", k);
  check_marks (k, k);
  CHECK (!strcmp (note, want), "level %d: its pages are as it left them", k);
}

void
test_main (void)
{
  level (0);
}
