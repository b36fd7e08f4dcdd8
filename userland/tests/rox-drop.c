/* rox-drop: an executable becomes writable only once no image of it is
   left.  A process runs rox-version and has its read-only data page in a
   frame; when it exits, this program writes a new version string into the
   executable as soon as a write is allowed, then runs it again: the new
   process must see the new string, not the exiting process's frame of
   the old one (read-only pages of one executable are shared between the
   processes that run it, found by inode and address).  Before, exit
   closed the executable, lifting its deny, before the image went, and an
   exec in between got the stale frame; the kernel option
   exe_close_delay=1 makes the exiting process sleep right after it closes
   its executable, so that the window is certain. */
#include "test.h"

#define FILE_MAX 65536

static char image[FILE_MAX];

/* The offset of the string S in the executable open at FD, read whole. */
static int
find (int fd, const char *s)
{
  int n = read (fd, image, sizeof image);
  size_t len = strlen (s);
  for (int i = 0; i + (int) len <= n; i++)
    if (memcmp (image + i, s, len) == 0)
      return i;
  fail ("no %s in the executable", s);
}

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("rox-version")) > 1, "open rox-version");
  int at = find (fd, "VERSION-1");
  pid_t first = spawn ("first", "rox-version wait");
  await_file ("version-ready");
  seek (fd, at);
  CHECK (write (fd, "VERSION-2", 9) == 0, "write while it runs: 0 bytes written");
  create ("version-go", 0);
  int tries = 0;
  for (;;)
    {
      seek (fd, at);
      if (write (fd, "VERSION-2", 9) == 9)
        break;
      if (++tries == 10000000)
        fail ("the executable never became writable");
    }
  msg ("wrote the new version once the first process let go of it");
  CHECK (wait (spawn ("second", "rox-version")) == 0, "second run exits 0");
  CHECK (wait (first) == 0, "first run exits 0");
}
