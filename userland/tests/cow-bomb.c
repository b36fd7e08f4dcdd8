/* cow-bomb: a chain of processes forks until fork fails, every one of them
   sharing its ancestors' pages copy-on-write; then the chain unwinds.  The
   run must end cleanly with nothing leaked (the harness compares the
   accounting line with the baseline), and fork must work afterwards.

   Each process in the chain checks the marks its ancestors left in a
   four-page array (so it reads pages shared by the whole chain above
   it), leaves its own mark at its depth (a private copy of one page),
   forks the next one and waits; after wait its array must be as it left
   it.  When memory runs out a process may be killed instead (the kernel
   cannot give it a frame for its copy); it passes -1 up, like a failed
   fork ends the chain.  The first process stays out of the chain (it only
   waits), and nothing in the output depends on the depth reached or on
   such kills (exit lines are ignored).  A wrong mark prints FAIL. */
#include "test.h"

#define N_MARKS (4 * PGSIZE / sizeof (uint32_t))

static volatile uint32_t marks[N_MARKS] __attribute__ ((aligned (4096)));

static uint32_t
mark (int depth)
{
  return 0x5a000000u + (uint32_t) depth * 40503u + 1;
}

/* Fails unless MARKS holds the marks of depths 0..LAST, zeros after. */
static void
check_marks (int last)
{
  int i;

  for (i = 0; i < (int) N_MARKS; i++)
    {
      uint32_t want = i <= last ? mark (i) : 0;
      if (marks[i] != want)
        fail ("depth %d: mark %d is 0x%08x, expected 0x%08x", last, i,
              marks[i], want);
    }
}

/* The process at DEPTH: checks, marks, forks the next one.  Returns the
   number of processes below it, -1 if one of them was killed. */
static int
descend (int depth)
{
  pid_t pid;
  int below;

  if (depth >= (int) N_MARKS)
    return 0;                   /* deep enough: end the chain here */
  check_marks (depth - 1);
  marks[depth] = mark (depth);
  pid = fork ("bomb");
  if (pid == 0)
    exit (descend (depth + 1));
  if (pid < 0)
    below = 0;
  else
    {
      below = wait (pid);
      below = below < 0 ? -1 : below + 1;
    }
  check_marks (depth);
  return below;
}

void
test_main (void)
{
  pid_t head = fork ("bomb");
  int depth;

  if (head == 0)
    exit (descend (0));
  if (head < 0)
    fail ("the first fork failed");
  depth = wait (head);
  CHECK (depth >= -1, "the chain has ended");
  CHECK (marks[0] == 0, "the chain's marks are not in the first process");
  head = fork ("again");
  if (head == 0)
    exit (5);
  CHECK (head > 0 && wait (head) == 5, "fork works again afterwards");
}
