/* oom-rep-movs: like oom-livelock, with one string instruction whose
   source and destination pages must both be present at once: `rep movsb`
   copies a page of .rodata into successive pages of a 4 MiB .bss array.
   With a user pool of 32 pages and no swap, the process must be killed
   (-1, no "end" line) rather than fault forever (issue 9, finding 4). */
#include "test.h"
#include "repmovs.h"

#define BIG (4 * 1024 * 1024)

static char big[BIG];
static const char ro[PGSIZE] = { 1 };

void
test_main (void)
{
  size_t i;

  for (i = 0; i < BIG; i += PGSIZE)
    rep_movsb (big + i, ro, PGSIZE);
}

