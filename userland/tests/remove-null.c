/* remove-null: remove() with a NULL name kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("remove (NULL)");
  remove (NULL);
  fail ("remove (NULL) returned");
}
