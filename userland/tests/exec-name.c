/* exec-name: the first process execs child-simple; the program changes
   but the process keeps its name: its exit line says "exec-name". */
#include "test.h"

void
test_main (void)
{
  exec ("child-simple");
  fail ("exec returned");
}
