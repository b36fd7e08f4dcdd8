/* open-null: open() with a NULL name kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("open (NULL)");
  open (NULL);
  fail ("open (NULL) returned");
}
