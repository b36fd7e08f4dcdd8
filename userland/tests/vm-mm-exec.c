/* vm-mm-exec: mappings do not survive exec, and their dirty pages are
   written back when exec discards them.  The program maps vm-data-64k
   writable at 0x10000000, writes into page 2 and execs vm-mm-exec2, which
   can map the file at the same address and finds the bytes there. */
#include "test.h"

#define A ((char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, 65536, 1, fd, 0) == A, "mmap 64 KiB writable at 0x10000000");
  memcpy (A + 2 * PGSIZE, "written before exec", 19);
  msg ("wrote to page 2; exec vm-mm-exec2");
  exec ("vm-mm-exec2");
  fail ("exec returned");
}
