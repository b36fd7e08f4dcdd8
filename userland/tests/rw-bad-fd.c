/* rw-bad-fd: read() and write() on descriptors that are not open (never
   opened, closed, negative, huge) return -1 without killing the caller;
   so do read() of fd 1 and write() of fd 0 (console descriptors opened
   the other way).  filesize() and tell() of a closed descriptor return
   -1, and seek() on it does nothing. */
#include "test.h"

static char buf[16];

void
test_main (void)
{
  static const int bad[] = { -1, 5, 1234, 0x7fffffff, -0x7fffffff - 1 };
  unsigned i;
  int fd;

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      CHECK (read (bad[i], buf, sizeof buf) == -1, "read (%d) returns -1",
             bad[i]);
      CHECK (write (bad[i], buf, sizeof buf) == -1, "write (%d) returns -1",
             bad[i]);
    }
  CHECK (read (STDOUT_FILENO, buf, sizeof buf) == -1, "read (1) returns -1");
  CHECK (write (STDIN_FILENO, buf, sizeof buf) == -1, "write (0) returns -1");
  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  close (fd);
  CHECK (read (fd, buf, sizeof buf) == -1, "read of the closed descriptor returns -1");
  CHECK (write (fd, buf, sizeof buf) == -1, "write of the closed descriptor returns -1");
  CHECK (filesize (fd) == -1, "filesize of it returns -1");
  seek (fd, 10);
  CHECK (tell (fd) == (unsigned) -1, "seek on it does nothing and tell returns -1");
}
