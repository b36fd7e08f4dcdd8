/* seek-tell: tell() follows reads and seeks; seek() moves the next read;
   a seek past the end is allowed, tell reports it and read there
   returns 0. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[16];
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (tell (fd) == 0, "tell is 0 after open");
  CHECK (read (fd, buf, 10) == 10, "read 10 bytes");
  CHECK (tell (fd) == 10, "tell is 10");
  seek (fd, 20);
  CHECK (tell (fd) == 20, "tell is 20 after seek (20)");
  CHECK (read (fd, buf, 5) == 5, "read 5 bytes");
  check_bytes (buf, sample + 20, 5, "bytes 20..24");
  msg ("they are bytes 20 to 24");
  seek (fd, 0);
  CHECK (read (fd, buf, 5) == 5 && memcmp (buf, sample, 5) == 0,
         "seek (0) rereads the start");
  seek (fd, 1000);
  CHECK (tell (fd) == 1000, "tell is 1000 after a seek past the end");
  CHECK (read (fd, buf, 5) == 0, "read there returns 0");
  CHECK (filesize (fd) == (int) SAMPLE_SIZE, "the size did not change");
}
