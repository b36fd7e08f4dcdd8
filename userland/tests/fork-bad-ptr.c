/* fork-bad-ptr: fork with a name that runs into an unmapped page (no NUL
   before it) kills the caller (exit -1); no child appears. */
#include "test.h"

void
test_main (void)
{
  char *name = first_unmapped_page () - 4;

  memcpy (name, "kids", 4);
  msg ("fork with a name that runs into an unmapped page");
  fork (name);
  fail ("fork returned");
}
