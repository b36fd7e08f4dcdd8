/* exec-bound: an exec command line that crosses a page boundary is read
   whole. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = spawn ("child", across_page ("child-args across a page", 13));
  CHECK (wait (pid) == 0, "wait returns 0");
}
