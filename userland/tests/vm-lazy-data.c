/* vm-lazy-data: pages of .data and .rodata are read from the program file
   only when first touched.  Before, int $0x42 reports 0 for every page of
   an 8-page .data array and a 4-page .rodata array; reading a byte gives
   its page (and only it) a frame and the byte has the value the program
   was built with; a write to a .data page keeps the file's other bytes in
   that page. */
#include "test.h"

#define P 4096

static unsigned char data[8 * P] __attribute__ ((aligned (4096))) = {
  [0] = 1, [P + 1] = 2, [3 * P + 5] = 42, [6 * P + 4095] = 99, [7 * P] = 7,
};
static const unsigned char rodata[4 * P] __attribute__ ((aligned (4096))) = {
  [3] = 3, [2 * P + 7] = 77, [3 * P + 4000] = 200,
};

static bool
none_loaded (const volatile unsigned char *a, int pages, int except)
{
  int k;
  for (k = 0; k < pages; k++)
    if (k != except && frame_of ((const void *) (a + k * P)) != 0)
      return false;
  return true;
}

void
test_main (void)
{
  volatile unsigned char *d = data;
  const volatile unsigned char *r = rodata;

  CHECK (none_loaded (d, 8, -1), "no page of the 8-page .data array has a frame");
  CHECK (none_loaded (r, 4, -1), "no page of the 4-page .rodata array has a frame");
  CHECK (d[3 * P + 5] == 42, "byte 3*4096+5 of .data reads 42");
  CHECK (frame_of ((void *) (d + 3 * P)) != 0 && none_loaded (d, 8, 3),
         "page 3 of .data has a frame, the others do not");
  CHECK (r[2 * P + 7] == 77, "byte 2*4096+7 of .rodata reads 77");
  CHECK (frame_of ((const void *) (r + 2 * P)) != 0 && none_loaded (r, 4, 2),
         "page 2 of .rodata has a frame, the others do not");
  d[6 * P] = 5;
  CHECK (d[6 * P] == 5 && d[6 * P + 4095] == 99,
         "a write to page 6 of .data keeps the file's byte 99 in that page");
  CHECK (d[0] == 1 && d[P + 1] == 2 && d[7 * P] == 7 && d[2 * P] == 0
         && r[3] == 3 && r[3 * P + 4000] == 200 && r[P] == 0,
         "the other pages read as built");
}
