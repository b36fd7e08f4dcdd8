/* vm-mm-len0: mmap of length 0 fails (returns NULL); a length of 1 maps
   one page. */
#include "test.h"

#define GOOD ((volatile unsigned char *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap ((void *) GOOD, 0, 0, fd, 0) == MAP_FAILED,
         "mmap of length 0 returns NULL");
  CHECK (mmap ((void *) GOOD, 0, 1, fd, 0) == MAP_FAILED,
         "a writable mmap of length 0 returns NULL");
  CHECK (mmap ((void *) GOOD, 1, 0, fd, 0) == (void *) GOOD,
         "mmap of length 1 works");
  CHECK (GOOD[1] == 31, "byte 1 reads as in the file");
}
