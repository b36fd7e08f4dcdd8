/* exec-redirect: exec keeps fd 1 as the caller left it: a child points
   fd 1 at a file with dup2 and execs child-simple, whose output lands in
   the file, which the parent then prints. */
#include "test.h"

static char buf[128];

void
test_main (void)
{
  pid_t pid;
  int fd, n;

  CHECK (create ("out.txt", 0), "create out.txt");
  pid = fork ("child");
  if (pid == 0)
    {
      fd = open ("out.txt");
      if (fd < 2 || dup2 (fd, STDOUT_FILENO) != STDOUT_FILENO)
        fail ("child: redirect failed");
      close (fd);
      exec ("child-simple");
      fail ("child: exec returned");
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 81, "wait returns 81");
  fd = open ("out.txt");
  n = read (fd, buf, sizeof buf - 1);
  CHECK (n > 0, "out.txt is not empty");
  buf[n] = '\0';
  if (n > 0 && buf[n - 1] == '\n')
    buf[n - 1] = '\0';
  msg ("out.txt says: %s", buf);
}
