/* create-null: create() with a NULL name kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("create (NULL, 0)");
  create (NULL, 0);
  fail ("create (NULL) returned");
}
