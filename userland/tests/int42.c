/* int42: `int $0x42` returns the page-aligned frame backing a user
   address: non-zero for mapped pages (code, data, stack), the same for
   two addresses in one page, different for different pages, 0 for an
   unmapped address.  Pages are touched before being asked about. */
#include "test.h"

static char data[2 * PGSIZE] __attribute__ ((aligned (4096))) = { 1 };

void
test_main (void)
{
  volatile char local = 5;
  uintptr_t d0, d1, s, t;

  data[0] = 2;                  /* Touch both pages (they would get */
  data[PGSIZE] = 1;             /* frames on demand under lazy loading). */
  d0 = frame_of (data);
  d1 = frame_of (data + PGSIZE);
  s = frame_of ((const void *) &local);
  t = frame_of ((const void *) test_main);
  CHECK (d0 != 0 && d1 != 0 && s != 0 && t != 0,
         "data, stack and code pages have frames");
  CHECK (d0 % PGSIZE == 0 && d1 % PGSIZE == 0 && s % PGSIZE == 0
         && t % PGSIZE == 0, "the frame addresses are page-aligned");
  CHECK (frame_of (data + 123) == d0, "two addresses in one page: one frame");
  CHECK (d0 != d1 && d0 != s && d1 != s && t != s,
         "different pages: different frames");
  CHECK (frame_of ((const void *) UNMAPPED_USER) == 0,
         "an unmapped address: 0");
}
