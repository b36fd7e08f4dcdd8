/* wait-bad: wait returns -1 at once for pids that are not the caller's
   children: -1, 0, a pid that never existed, and the caller's
   grandchild (whose pid the child passes up in a file). */
#include "test.h"

void
test_main (void)
{
  pid_t child, grandchild = 0;
  int fd;

  CHECK (wait (-1) == -1, "wait (-1) returns -1");
  CHECK (wait (0) == -1, "wait (0) returns -1");
  CHECK (wait (123456) == -1, "wait (123456) returns -1");
  CHECK (create ("gpid", 0), "create gpid");
  child = fork ("child");
  if (child == 0)
    {
      pid_t g = fork ("grandchild");
      if (g == 0)
        exit (0);
      if (g < 0 || wait (g) != 0)
        fail ("child: grandchild failed");
      fd = open ("gpid");
      if (fd < 0 || write (fd, &g, sizeof g) != sizeof g)
        fail ("child: could not record the grandchild's pid");
      exit (0);
    }
  if (child < 0)
    fail ("fork failed");
  CHECK (wait (child) == 0, "wait for the child returns 0");
  fd = open ("gpid");
  CHECK (fd > 1 && read (fd, &grandchild, sizeof grandchild)
         == sizeof grandchild, "read the grandchild's pid");
  CHECK (grandchild > 0 && wait (grandchild) == -1,
         "wait for the grandchild returns -1");
}
