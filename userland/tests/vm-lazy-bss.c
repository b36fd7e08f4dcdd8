/* vm-lazy-bss: pages of .bss get a frame only when first touched.  Before,
   int $0x42 reports 0 for every page of an 8-page array; reading page 2
   (zeros) gives it a frame, writing page 5 gives it one, the other pages
   still have none; the whole array reads as zeros but for the byte
   written. */
#include "test.h"

#define PAGES 8

static char arr[PAGES * PGSIZE] __attribute__ ((aligned (4096)));

static bool
no_frame_except (int a, int b)
{
  int k;
  for (k = 0; k < PAGES; k++)
    if (k != a && k != b && frame_of (arr + k * PGSIZE) != 0)
      return false;
  return true;
}

void
test_main (void)
{
  volatile char *v = arr;
  size_t i;

  CHECK (no_frame_except (-1, -1), "no page of the 8-page .bss array has a frame");
  CHECK (v[2 * PGSIZE + 100] == 0, "page 2 reads as zeros");
  CHECK (frame_of (arr + 2 * PGSIZE) != 0, "page 2 has a frame now");
  v[5 * PGSIZE + 7] = 'x';
  CHECK (frame_of (arr + 5 * PGSIZE) != 0 && v[5 * PGSIZE + 7] == 'x',
         "writing page 5 gives it a frame");
  CHECK (no_frame_except (2, 5), "the other 6 pages still have none");
  for (i = 0; i < sizeof arr; i++)
    if (v[i] != (i == 5 * PGSIZE + 7 ? 'x' : 0))
      fail ("byte %zu is 0x%02x", i, v[i]);
  msg ("the array reads as zeros but for the byte written");
}
