/* nx-shared-page: the loader's rule for a page that two segments share
   (docs/vm.md, "No-execute"): it is executable when any piece loaded into
   it comes from an executable segment.  Linked by
   userland/layout/shared-page.ld, where .data starts in the last page of
   the text segment and .bss in pages of its own: a `ret` in .data there
   runs, a `ret` in .bss is a page fault that kills. */
#include "test.h"

extern const char _etext[];

static unsigned char data_code[16] = { 0x90, 0xc3 };   /* nop; ret */
static unsigned char bss_code[16];

static void
call (const void *code)
{
  ((void (*) (void)) code) ();
}

static void
from_bss (const void *unused)
{
  (void) unused;
  bss_code[0] = 0xc3;
  call (bss_code);
}

void
test_main (void)
{
  CHECK (pg_round_down (data_code) == pg_round_down (_etext - 1),
         ".data shares the text segment's last page");
  CHECK (pg_round_down (bss_code) != pg_round_down (_etext - 1), ".bss has pages of its own");
  call (data_code);
  msg ("code in .data on that page ran");
  check_killed ("bss", from_bss, NULL);
}
