/* cow-isolate: after a copy-on-write fork, parent and child each write and
   read back their own memory, and neither sees the other's writes.  Seven
   regions are checked: an initialised .data page, a .bss page, the four
   pages of a "heap" array in .bss and an array on the stack.

   The parent fills every region before fork.  The child first checks that
   it sees those bytes, then overwrites the .data page, heap pages 0 and 1
   and its stack array, and reads them back.  Meanwhile the parent
   overwrites the .bss page, heap pages 1 and 2 and its stack array (so
   some regions are written by one side only, some by both, heap page 3
   by neither), then creates the file "go".  The child waits for that
   file, so its last check runs after the parent's writes: the regions it
   wrote hold its values, the others still hold the values from before
   fork.  After wait, the parent finds its own values where it wrote and
   the values from before fork everywhere else. */
#include "test.h"

#define WORDS (PGSIZE / sizeof (uint32_t))
#define HEAP_PAGES 4
#define STACK_WORDS 128

static uint32_t data_page[WORDS] __attribute__ ((aligned (4096))) = { 1 };
static uint32_t bss_page[WORDS] __attribute__ ((aligned (4096)));
static uint32_t heap[HEAP_PAGES * WORDS] __attribute__ ((aligned (4096)));

/* Region indices. */
enum { R_DATA, R_BSS, R_HEAP0, R_HEAP1, R_HEAP2, R_HEAP3, R_STACK, N_REGIONS };

static const char *const region_name[N_REGIONS] = {
  "data", "bss", "heap page 0", "heap page 1", "heap page 2", "heap page 3",
  "stack",
};

/* Writers. */
enum { BEFORE_FORK = 1, PARENT_AFTER = 2, CHILD_AFTER = 3 };

struct region
{
  volatile uint32_t *base;
  size_t words;
};

static struct region regions[N_REGIONS];

/* Word I of region R as written by WHO. */
static uint32_t
value (int who, int r, size_t i)
{
  uint32_t v = (uint32_t) who * 0x9e3779b1u ^ (uint32_t) r * 0x85ebca6bu;
  return v + (uint32_t) i * 2654435761u + (uint32_t) (i >> 3);
}

static void
fill (int r, int who)
{
  size_t i;

  for (i = 0; i < regions[r].words; i++)
    regions[r].base[i] = value (who, r, i);
}

/* Fails unless region R holds what WHO wrote; SELF names the checker. */
static void
verify (int r, int who, const char *self)
{
  size_t i;

  for (i = 0; i < regions[r].words; i++)
    if (regions[r].base[i] != value (who, r, i))
      fail ("%s: %s word %zu is 0x%08x, expected 0x%08x", self,
            region_name[r], i, regions[r].base[i], value (who, r, i));
}

/* Does the child write region R after fork? */
static bool
child_writes (int r)
{
  return r == R_DATA || r == R_HEAP0 || r == R_HEAP1 || r == R_STACK;
}

/* Does the parent write region R after fork? */
static bool
parent_writes (int r)
{
  return r == R_BSS || r == R_HEAP1 || r == R_HEAP2 || r == R_STACK;
}

void
test_main (void)
{
  volatile uint32_t stack_words[STACK_WORDS];
  pid_t pid;
  int r;

  regions[R_DATA] = (struct region) { data_page, WORDS };
  regions[R_BSS] = (struct region) { bss_page, WORDS };
  for (r = 0; r < HEAP_PAGES; r++)
    regions[R_HEAP0 + r] = (struct region) { heap + r * WORDS, WORDS };
  regions[R_STACK] = (struct region) { stack_words, STACK_WORDS };

  for (r = 0; r < N_REGIONS; r++)
    fill (r, BEFORE_FORK);

  pid = fork ("child");
  if (pid == 0)
    {
      for (r = 0; r < N_REGIONS; r++)
        verify (r, BEFORE_FORK, "child");
      msg ("child: sees the parent's data, bss, heap and stack");
      for (r = 0; r < N_REGIONS; r++)
        if (child_writes (r))
          fill (r, CHILD_AFTER);
      for (r = 0; r < N_REGIONS; r++)
        verify (r, child_writes (r) ? CHILD_AFTER : BEFORE_FORK, "child");
      msg ("child: reads back its own writes");
      await_file ("go");
      for (r = 0; r < N_REGIONS; r++)
        verify (r, child_writes (r) ? CHILD_AFTER : BEFORE_FORK, "child");
      msg ("child: the parent's later writes are not visible");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");

  /* Nothing printed until wait: the child's lines come first. */
  for (r = 0; r < N_REGIONS; r++)
    if (parent_writes (r))
      fill (r, PARENT_AFTER);
  if (!create ("go", 0))
    fail ("create go");
  CHECK (wait (pid) == 0, "wait returns 0");
  for (r = 0; r < N_REGIONS; r++)
    verify (r, parent_writes (r) ? PARENT_AFTER : BEFORE_FORK, "parent");
  msg ("parent: its own writes are intact, the child's are not visible");
}
