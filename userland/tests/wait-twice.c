/* wait-twice: wait returns a child's status once; a second wait for the
   same child returns -1. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("child");

  if (pid == 0)
    exit (5);
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 5, "wait returns 5");
  CHECK (wait (pid) == -1, "a second wait returns -1");
}
