/* read-bad-ptr: read() into a kernel address kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  msg ("read into 0xffffffff80100000");
  read (fd, (void *) KERNEL_HIGH, 10);
  fail ("read into a kernel address returned");
}
