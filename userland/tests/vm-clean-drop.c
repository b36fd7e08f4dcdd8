/* vm-clean-drop: with no swap disk, anonymous pages cannot be evicted,
   but clean pages of the executable can always be dropped and read again.
   The program fills most of a 32-page pool with written .bss pages, then
   reads a 16-page .rodata table page by page, several times over: every
   read of a page that is not resident needs a frame, and only the
   table's other pages and the code can give one.  The eviction must find
   them among the pages that cannot go, and the program must finish. */
#include "test.h"

#define ANON_PAGES 24
#define TABLE_PAGES 16
#define PASSES 4

static char anon[ANON_PAGES * PGSIZE];

/* Page I of the table holds I + 1 in its first byte. */
#define ROW(I) [(I) * PGSIZE] = (I) + 1
static const char table[TABLE_PAGES * PGSIZE] = {
  ROW (0), ROW (1), ROW (2), ROW (3), ROW (4), ROW (5), ROW (6), ROW (7),
  ROW (8), ROW (9), ROW (10), ROW (11), ROW (12), ROW (13), ROW (14), ROW (15),
};

void
test_main (void)
{
  size_t i;
  int pass;
  unsigned sum = 0;

  for (i = 0; i < sizeof anon; i += PGSIZE)
    ((volatile char *) anon)[i] = 1;
  msg ("%d .bss pages written", ANON_PAGES);

  for (pass = 0; pass < PASSES; pass++)
    for (i = 0; i < TABLE_PAGES; i++)
      sum += ((const volatile char *) table)[i * PGSIZE];
  CHECK (sum == PASSES * TABLE_PAGES * (TABLE_PAGES + 1) / 2,
         "%d passes over a %d-page .rodata table read as built",
         PASSES, TABLE_PAGES);

  for (i = 0; i < sizeof anon; i += PGSIZE)
    if (anon[i] != 1)
      fail ("a .bss page lost its contents");
  msg ("the .bss pages kept their contents");
}
