/* dir-cwd: each process has its own working directory; fork copies it,
   exec keeps it, and exec takes paths, absolute and relative. */
#include "test.h"

static char image[256 * 1024];

void
test_main (void)
{
  pid_t pid;
  int fd, n;

  CHECK (mkdir ("p") && chdir ("p") && create ("here", 0), "mkdir p, chdir p, create here");
  pid = fork ("kid");
  if (pid == 0)
    {
      CHECK (open ("here") > 1, "child: here is in its working directory");
      CHECK (chdir ("/"), "child: chdir /");
      CHECK (open ("here") == -1, "child: not in / though");
      exit (5);
    }
  CHECK (wait (pid) == 5, "wait for the child");
  CHECK (open ("here") > 1, "parent: still in p");

  pid = spawn ("kid", "/dir-child here ../p/here /p/here gone");
  CHECK (wait (pid) == 1, "exec keeps the working directory: one missing");

  CHECK ((fd = open ("/dir-child")) > 1, "open /dir-child");
  n = read (fd, image, sizeof image);
  CHECK (n > 0 && n == filesize (fd), "read it whole");
  CHECK (create ("prog", n) && (fd = open ("prog")) > 1
         && write (fd, image, n) == n, "copy it to p/prog");
  close (fd);
  pid = spawn ("kid", "prog here");
  CHECK (wait (pid) == 0, "exec of a relative path runs p/prog");
  pid = spawn ("kid", "/p");
  CHECK (wait (pid) == -1, "exec of a directory fails");
}
