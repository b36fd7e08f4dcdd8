/* exec-args: exec splits its command line on runs of spaces (trailing
   ones too) and passes the words as argv[]. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = spawn ("child", "child-args one  two   three   ");
  CHECK (wait (pid) == 0, "wait returns 0");
}
