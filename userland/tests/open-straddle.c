/* open-straddle: a name whose bytes run from the last mapped page into
   an unmapped one with no NUL before the boundary kills the caller
   (exit -1). */
#include "test.h"

void
test_main (void)
{
  char *name = first_unmapped_page () - 3;

  memcpy (name, "abc", 3);              /* No terminator before the page. */
  msg ("open a name that runs into an unmapped page");
  open (name);
  fail ("open returned");
}
