/* remove-open: a file removed while open stays readable (and its size
   stays) through the descriptor already open; its name is gone at once,
   and a new file of the same name is a different, empty file. */
#include "test.h"
#include "sample.h"

static char buf[1024];

void
test_main (void)
{
  int fd, fresh;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (read (fd, buf, 10) == 10, "read 10 bytes");
  CHECK (remove ("sample.txt"), "remove sample.txt");
  CHECK (open ("sample.txt") == -1, "open sample.txt now returns -1");
  CHECK (read (fd, buf + 10, sizeof buf - 10) == (int) SAMPLE_SIZE - 10,
         "read the rest through the open descriptor");
  check_bytes (buf, sample, SAMPLE_SIZE, "removed file");
  msg ("the removed file's bytes are intact");
  CHECK (filesize (fd) == (int) SAMPLE_SIZE, "its size is unchanged");
  CHECK (create ("sample.txt", 0), "create a new sample.txt");
  CHECK ((fresh = open ("sample.txt")) > 1, "open the new one");
  CHECK (filesize (fresh) == 0, "the new one is empty");
  seek (fd, 0);
  CHECK (read (fd, buf, 5) == 5 && memcmp (buf, sample, 5) == 0,
         "the old descriptor still reads the old bytes");
}
