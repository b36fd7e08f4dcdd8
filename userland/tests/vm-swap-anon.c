/* vm-swap-anon: an anonymous working set four times the user pool (a
   1 MiB .bss array with user_pages=64) survives eviction to swap: it is
   written with a pattern that depends on the index, read back forwards,
   backwards and page by page in a scrambled order (rewriting each page
   with a second pattern), and the second pattern read back forwards. */
#include "test.h"

#define WORDS (1 << 18)                 /* 1 MiB of 32-bit words */
#define PER_PAGE (PGSIZE / 4)
#define PAGES (WORDS / PER_PAGE)

static uint32_t arr[WORDS];

static uint32_t
value (size_t i, uint32_t seed)
{
  return (uint32_t) (i * 2654435761u) ^ seed ^ (uint32_t) (i >> 10);
}

static void
check (size_t i, uint32_t seed)
{
  if (arr[i] != value (i, seed))
    fail ("word %zu is 0x%08x, expected 0x%08x", i, arr[i], value (i, seed));
}

void
test_main (void)
{
  size_t i, k;

  for (i = 0; i < WORDS; i++)
    arr[i] = value (i, 0x1111);
  msg ("wrote 1 MiB");
  for (i = 0; i < WORDS; i++)
    check (i, 0x1111);
  msg ("read it back forwards");
  for (i = WORDS; i-- > 0;)
    check (i, 0x1111);
  msg ("read it back backwards");
  for (k = 0; k < PAGES; k++)
    {
      size_t page = k * 97 % PAGES;
      for (i = page * PER_PAGE; i < (page + 1) * PER_PAGE; i++)
        {
          check (i, 0x1111);
          arr[i] = value (i, 0x2222);
        }
    }
  msg ("read it back page by page in scrambled order, rewriting each");
  for (i = 0; i < WORDS; i++)
    check (i, 0x2222);
  msg ("read the new pattern back forwards");
}
