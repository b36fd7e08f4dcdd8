/* cow-orphswap: a process exits while its child still shares its pages,
   most of them in swap.  With the user pool capped at 48 frames, "parent"
   fills 144 pages (three times the pool): first 120 pages of a .bss
   array, then 24 pages of an initialised array (.data, loaded from the
   executable), which are therefore still resident when it forks
   "orphan".  The orphan shares the resident frames and the swap slots.
   The parent exits at once, dropping its share of every frame and slot.
   The first process waits for the parent, then creates the file "go".
   The orphan, once it sees "go", checks every page twice (swapping in
   from the slots it now holds alone, evicting as it goes), rewrites every
   page and checks them all again, then creates "done" and exits; the
   first process waits for "done".  The .data pages matter: the parent
   changed them before fork, so when the orphan, which has only read them,
   lets them be evicted, they must go to swap, not be dropped and reloaded
   from the executable.  Nothing may leak: the slots must be freed by
   whichever holder lets go last.

   The orphan's exit line may come anywhere after its last message, so
   the expected output lists the four possible places. */
#include "test.h"

#define BSS_PAGES 120
#define DATA_PAGES 24
#define PAGES (BSS_PAGES + DATA_PAGES)
#define WORDS (PGSIZE / sizeof (uint64_t))

static volatile uint64_t bss_pages[BSS_PAGES * WORDS]
  __attribute__ ((aligned (4096)));
static volatile uint64_t data_pages[DATA_PAGES * WORDS]
  __attribute__ ((aligned (4096))) = { 1 };

/* Word I of page PAGE (0..PAGES-1, the .bss pages first). */
static volatile uint64_t *
word (size_t page, size_t i)
{
  return page < BSS_PAGES ? &bss_pages[page * WORDS + i]
                          : &data_pages[(page - BSS_PAGES) * WORDS + i];
}

static uint64_t
value (int seed, size_t page, size_t i)
{
  return (uint64_t) seed * 0x9e3779b97f4a7c15ull ^ (page << 32)
         ^ (i * 0xc2b2ae3d27d4eb4full);
}

static void
fill (int seed)
{
  size_t page, i;

  for (page = 0; page < PAGES; page++)
    for (i = 0; i < WORDS; i++)
      *word (page, i) = value (seed, page, i);
}

static void
check (int seed, const char *self, int pass)
{
  size_t page, i;

  for (page = 0; page < PAGES; page++)
    for (i = 0; i < WORDS; i++)
      if (*word (page, i) != value (seed, page, i))
        fail ("%s: pass %d: page %zu word %zu is wrong", self, pass, page,
              i);
}

static void
orphan (void)
{
  await_file ("go");
  check (1, "orphan", 1);
  check (1, "orphan", 2);
  msg ("orphan: 2 passes: every page holds the data its parent left");
  fill (2);
  check (2, "orphan", 3);
  msg ("orphan: rewrote every page and read it back");
  if (!create ("done", 0))
    fail ("create done");
  exit (0);
}

static void
parent (void)
{
  pid_t pid;

  fill (1);                     /* the .data pages last: still resident */
  pid = fork ("orphan");
  if (pid == 0)
    orphan ();
  if (pid < 0)
    fail ("parent: fork failed");
  msg ("parent: filled %d pages, forked, exiting", PAGES);
  exit (0);
}

void
test_main (void)
{
  pid_t pid = fork ("parent");

  if (pid == 0)
    parent ();
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "the parent has exited");
  if (!create ("go", 0))
    fail ("create go");
  await_file ("done");
  msg ("the orphan has finished");
}
