/* wait-killed: wait for a child the kernel killed (bad memory access)
   returns -1, after the child's "exit(-1)" line. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("child");

  if (pid == 0)
    {
      volatile int *p = (volatile int *) UNMAPPED_USER;
      *p = 1;
      fail ("child: should have died");
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == -1, "wait returns -1");
}
