/* read-boundary: read() into a buffer that crosses a page boundary (both
   pages valid) fills it correctly. */
#include "test.h"
#include "sample.h"

static char pages[2 * PGSIZE] __attribute__ ((aligned (4096)));

void
test_main (void)
{
  char *buf = pages + PGSIZE - 100;
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (read (fd, buf, SAMPLE_SIZE) == (int) SAMPLE_SIZE,
         "read the file into a buffer across a page boundary");
  check_bytes (buf, sample, SAMPLE_SIZE, "buffer");
  msg ("the buffer holds the file");
}
