/* vm-mm-ov-stack: mmap over the stack fails (returns NULL): at the page
   holding the current stack pointer and at the top stack page just below
   USER_STACK (the same page here, asked for in two ways), and a 2-page
   range ending in the top stack page.  The stack still works after. */
#include "test.h"

void
test_main (void)
{
  volatile int local = 7;
  void *mine = (void *) pg_round_down (&local);
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (mine, PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap at the page of a local variable returns NULL");
  CHECK (mmap ((void *) (USER_STACK - PGSIZE), PGSIZE, 0, fd, 0)
         == MAP_FAILED, "mmap at USER_STACK - 4096 returns NULL");
  CHECK (mmap ((void *) (USER_STACK - 2 * PGSIZE), 2 * PGSIZE, 1, fd, 0)
         == MAP_FAILED,
         "mmap of 2 pages ending at USER_STACK returns NULL");
  CHECK (local == 7, "the local variable is unchanged");
  CHECK (mmap ((void *) 0x10000000, PGSIZE, 0, fd, 0) == (void *) 0x10000000,
         "mmap at 0x10000000 works");
}
