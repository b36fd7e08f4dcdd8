/* oom-hog: under frame exhaustion the out-of-memory killer ends the
   process with the largest footprint, not the one whose fault found no
   frame (issue 18; docs/vm.md, "Out of memory").  With 128 user frames
   and no swap disk, the hog writes 96 pages that nothing can evict and
   then spins; then the innocent writes 48 pages of its own.  Its faults
   run out of frames, the hog is killed in its place, and the innocent
   gets the hog's frames, checks its pages and exits 0. */
#include "test.h"

#define HOG_PAGES 96
#define INNOCENT_PAGES 48

static char pages[HOG_PAGES * PGSIZE];

static void
hog (int k)
{
  int i;

  (void) k;
  for (i = 0; i < HOG_PAGES; i++)
    pages[i * PGSIZE] = 1;
  if (!create ("hog-ready", 0))
    fail ("hog: create failed");
  for (;;)
    continue;
}

static void
innocent (int k)
{
  int i;

  (void) k;
  for (i = 0; i < INNOCENT_PAGES; i++)
    pages[i * PGSIZE] = (char) i;
  for (i = 0; i < INNOCENT_PAGES; i++)
    if (pages[i * PGSIZE] != (char) i)
      fail ("innocent: page %d lost its byte", i);
  exit (0);
}

void
test_main (void)
{
  pid_t hog_pid, innocent_pid;

  fork_children ("hog", 1, hog, &hog_pid);
  await_file ("hog-ready");
  msg ("the hog holds 96 pages");
  fork_children ("innocent", 1, innocent, &innocent_pid);
  CHECK (wait (innocent_pid) == 0, "the innocent wrote and checked 48 pages: wait returns 0");
  CHECK (wait (hog_pid) == -1, "the hog was killed: wait returns -1");
}
