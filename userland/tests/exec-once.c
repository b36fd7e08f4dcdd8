/* exec-once: a forked child execs child-simple, which runs (prints its
   line) and exits with 81; the exit line bears the fork name ("child"),
   not the program's; wait returns 81. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = spawn ("child", "child-simple");
  CHECK (wait (pid) == 81, "wait returns 81");
}
