/* vm-lazy-big: a program of over 4 MiB (a 2 MiB table in .rodata and one
   in .data, table.S) touched sparsely loads only the pages it touches:
   16 pages of each table are read (and 4 of the writable one written) and
   come out as built; pages never touched still have no frame; the kernel
   log's faults_load stays far below the program's 1000+ pages (the test's
   stats check). */
#include "test.h"

#define PAGES 512
#define TOUCHED 16

extern const unsigned char big_ro[PAGES * PGSIZE];
extern unsigned char big_rw[PAGES * PGSIZE];

static size_t
touched_page (int i)
{
  return i * 32 + 5;
}

/* Does page K of TABLE look as table.S built it? */
static bool
page_ok (const volatile unsigned char *table, size_t k, uint64_t tag,
         unsigned mul, unsigned add)
{
  const volatile unsigned char *p = table + k * PGSIZE;
  unsigned char fill = (k * mul + add) & 0xff;
  return *(const volatile uint64_t *) p == tag + k && p[8] == fill
         && p[2000] == fill && p[4095] == fill;
}

static bool
sampled_untouched (const unsigned char *table)
{
  size_t k;
  for (k = 0; k < PAGES; k += 8)
    if (frame_of (table + k * PGSIZE) != 0)
      return false;
  return true;
}

void
test_main (void)
{
  volatile unsigned char *rw = big_rw;
  int i;

  CHECK (sampled_untouched (big_ro) && sampled_untouched (big_rw),
         "no sampled page of either table has a frame");
  for (i = 0; i < TOUCHED; i++)
    if (!page_ok (big_ro, touched_page (i), 0x524f000000000000, 7, 1))
      fail ("page %zu of big_ro is wrong", touched_page (i));
  msg ("16 pages of the .rodata table read as built");
  for (i = 0; i < TOUCHED; i++)
    if (!page_ok (big_rw, touched_page (i), 0x5257000000000000, 11, 3))
      fail ("page %zu of big_rw is wrong", touched_page (i));
  msg ("16 pages of the .data table read as built");
  for (i = 0; i < 4; i++)
    rw[touched_page (i * 4) * PGSIZE + 100] = 0xab;
  for (i = 0; i < 4; i++)
    if (rw[touched_page (i * 4) * PGSIZE + 100] != 0xab
        || !page_ok (big_rw, touched_page (i * 4), 0x5257000000000000, 11, 3))
      fail ("page %zu of big_rw did not keep the write", touched_page (i * 4));
  msg ("4 of them were written and read back");
  CHECK (sampled_untouched (big_ro) && sampled_untouched (big_rw),
         "the sampled pages never touched still have no frame");
  CHECK (frame_of (big_ro + touched_page (3) * PGSIZE) != 0
         && frame_of (big_rw + touched_page (3) * PGSIZE) != 0,
         "touched pages have frames");
}
