/* vm-mm-exec2: run by vm-mm-exec through exec: maps vm-data-64k at
   0x10000000 (possible only if the old program's mapping is gone) and
   checks that the bytes the old program wrote into page 2 are in the
   file. */
#include "test.h"

#define A ((char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, 65536, 0, fd, 0) == A,
         "mmap at 0x10000000 works: the old mapping is gone");
  CHECK (!memcmp (A + 2 * PGSIZE, "written before exec", 19),
         "the bytes written before exec reached the file");
}
