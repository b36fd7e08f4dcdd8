/* vm-mm-ov-data: mmap over the program's data fails (returns NULL): over
   .rodata, over .data, over a .bss page never touched (it has no frame
   yet but is part of the program), and a 2-page range that starts at the
   last .bss page.  The first page past the end of .bss can be mapped. */
#include "test.h"

static const char in_rodata[] = "a string in .rodata";
static int in_data = 42;
static char in_bss[3 * PGSIZE] __attribute__ ((aligned (4096)));

void
test_main (void)
{
  char *after = first_unmapped_page ();
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) pg_round_down (in_rodata), PGSIZE, 0, fd, 0)
         == MAP_FAILED, "mmap over .rodata returns NULL");
  CHECK (mmap ((void *) pg_round_down (&in_data), PGSIZE, 1, fd, 0)
         == MAP_FAILED, "mmap over .data returns NULL");
  CHECK (frame_of (in_bss + PGSIZE) == 0, "a .bss page has no frame yet");
  CHECK (mmap (in_bss + PGSIZE, PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap over it returns NULL");
  CHECK (mmap (after - PGSIZE, 2 * PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap of 2 pages from the last .bss page returns NULL");
  CHECK (in_data == 42 && in_rodata[0] == 'a' && in_bss[PGSIZE] == 0,
         "the data is unchanged");
  CHECK (mmap (after, PGSIZE, 1, fd, 0) == after,
         "mmap at the first page after .bss works");
}
