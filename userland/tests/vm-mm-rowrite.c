/* vm-mm-rowrite: writing to a page of a read-only mapping that was never
   touched kills the process (exit -1). */
#include "test.h"

#define A ((volatile char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, 65536, 0, fd, 0) == (void *) A,
         "mmap 64 KiB read-only");
  msg ("write to its page 3, never touched");
  A[3 * PGSIZE + 10] = 1;
  fail ("the write to a read-only mapping did not kill the process");
}
