/* vm-mm-roread: read() into a read-only mapping kills the process
   (exit -1): a buffer that read() fills must be writable, even when the
   page is loaded. */
#include "test.h"

#define A ((volatile unsigned char *) 0x10000000)

void
test_main (void)
{
  int fd, src;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap ((void *) A, 65536, 0, fd, 0) == (void *) A,
         "mmap 64 KiB read-only");
  CHECK (A[0] == 0, "read its first byte");
  CHECK ((src = open ("vm-data-5000")) > 1, "open vm-data-5000");
  msg ("read() 100 bytes into the mapping");
  read (src, (void *) A, 100);
  fail ("read() into a read-only mapping did not kill the process");
}
