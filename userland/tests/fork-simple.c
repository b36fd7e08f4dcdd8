/* fork-simple: fork returns 0 in the child and the child's pid (> 0) in
   the parent; the child's exit status comes back through wait; the
   child's exit line bears the name given to fork. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("child");

  if (pid == 0)
    {
      msg ("child: fork returned 0");
      exit (81);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 81, "wait returns 81");
  CHECK (pid > 0, "fork returned a positive pid to the parent");
}
