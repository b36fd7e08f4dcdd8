/* exit: exit(57) ends the process with status 57; nothing after it
   runs. */
#include "test.h"

void
test_main (void)
{
  exit (57);
  fail ("exit returned");
}
