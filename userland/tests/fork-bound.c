/* fork-bound: a fork name that crosses a page boundary is read whole: the
   child's exit line shows all of it. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork (across_page ("boundary", 3));

  if (pid == 0)
    exit (7);
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 7, "wait returns 7");
}
