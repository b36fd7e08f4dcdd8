/* vm-swap-data: writable pages of the executable under memory pressure
   (user_pages=32): a 64-page table in .data is read (clean pages, which
   may be dropped and read from the file again), every even page is
   written (dirty pages, which must go to swap, never be reloaded from the
   file), a 512 KiB .bss array is written to push everything out, and the
   table is checked forwards and backwards: even pages as written, odd
   pages as built. */
#include "test.h"

#define PAGES 64
#define FILL_PAGES 128

extern uint64_t table[PAGES * 512];
static unsigned char filler[FILL_PAGES * 4096];

static bool
page_right (size_t k)
{
  const volatile unsigned char *p = (const unsigned char *) table + k * PGSIZE;
  uint64_t head = *(const volatile uint64_t *) p;
  unsigned char fill = (k * 5 + 9) & 0xff;

  if (k % 2 == 0)
    return head == ~(0x4441544100000000 + k) && p[8] == (unsigned char) ~fill
           && p[4095] == fill;
  return head == 0x4441544100000000 + k && p[8] == fill && p[4095] == fill;
}

static bool
page_as_built (size_t k)
{
  const volatile unsigned char *p = (const unsigned char *) table + k * PGSIZE;
  unsigned char fill = (k * 5 + 9) & 0xff;
  return *(const volatile uint64_t *) p == 0x4441544100000000 + k
         && p[8] == fill && p[2048] == fill && p[4095] == fill;
}

void
test_main (void)
{
  unsigned char *bytes = (unsigned char *) table;
  size_t k;

  for (k = 0; k < PAGES; k++)
    if (!page_as_built (k))
      fail ("page %zu of the table is not as built", k);
  msg ("the 64-page .data table reads as built");
  for (k = 0; k < PAGES; k += 2)
    {
      table[k * 512] = ~(0x4441544100000000 + k);
      bytes[k * PGSIZE + 8] = ~bytes[k * PGSIZE + 8];
    }
  msg ("wrote every even page");
  for (k = 0; k < FILL_PAGES; k++)
    filler[k * PGSIZE] = k;
  msg ("wrote 512 KiB elsewhere");
  for (k = 0; k < PAGES; k++)
    if (!page_right (k))
      fail ("page %zu of the table is wrong", k);
  msg ("even pages read as written, odd ones as built");
  for (k = PAGES; k-- > 0;)
    if (!page_right (k))
      fail ("page %zu of the table is wrong (backwards)", k);
  msg ("and again backwards");
}
