/* close-bad: closing a descriptor twice, or one never opened (negative,
   unused, huge), does nothing: the process carries on and other
   descriptors keep working. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  char buf[5];
  int fd, keep;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK ((keep = open ("sample.txt")) > 1, "open it again");
  close (fd);
  close (fd);
  msg ("closed the first descriptor twice");
  close (-1);
  close (77);
  close (0x7fffffff);
  msg ("closed -1, 77 and 2147483647");
  CHECK (read (keep, buf, 5) == 5 && memcmp (buf, sample, 5) == 0,
         "the second descriptor still reads");
}
