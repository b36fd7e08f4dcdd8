/* exec-missing: exec of a file that does not exist prints
   "load: no-such-file: open failed" and ends the caller with -1. */
#include "test.h"

void
test_main (void)
{
  exec ("no-such-file");
  fail ("exec returned");
}
