/* open-empty: open() of the empty name returns -1. */
#include "test.h"

void
test_main (void)
{
  CHECK (open ("") == -1, "open \"\" returns -1");
}
