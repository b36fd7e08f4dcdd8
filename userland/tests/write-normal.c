/* write-normal: write() to a file returns the byte count, moves the
   position, grows the file, and the bytes read back the same. */
#include "test.h"
#include "sample.h"

static char buf[1024];

void
test_main (void)
{
  int fd;

  CHECK (create ("out.txt", 0), "create out.txt");
  CHECK ((fd = open ("out.txt")) > 1, "open out.txt");
  CHECK (write (fd, sample, SAMPLE_SIZE) == (int) SAMPLE_SIZE,
         "write the sample text");
  CHECK (tell (fd) == SAMPLE_SIZE, "the position is at the end");
  CHECK (filesize (fd) == (int) SAMPLE_SIZE, "the file grew to the text's size");
  seek (fd, 0);
  CHECK (read (fd, buf, sizeof buf) == (int) SAMPLE_SIZE, "read it back");
  check_bytes (buf, sample, SAMPLE_SIZE, "out.txt");
  msg ("the bytes match");
}
