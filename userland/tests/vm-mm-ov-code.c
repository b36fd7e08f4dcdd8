/* vm-mm-ov-code: mmap over the program's code fails (returns NULL): at
   the first code page, at the page of test_main, and a range that starts
   below the code and runs into it.  A mapping elsewhere works. */
#include "test.h"

#define GOOD ((void *) 0x10000000)

void
test_main (void)
{
  void *code = (void *) pg_round_down (test_main);
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) 0x400000, PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap at 0x400000 (the first code page) returns NULL");
  CHECK (mmap (code, PGSIZE, 1, fd, 0) == MAP_FAILED,
         "mmap at the page of test_main returns NULL");
  CHECK (mmap ((void *) 0x3fd000, 4 * PGSIZE, 0, fd, 0) == MAP_FAILED,
         "mmap of 4 pages at 0x3fd000, running into the code, returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 0, fd, 0) == GOOD, "mmap at 0x10000000 works");
}
