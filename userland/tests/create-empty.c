/* create-empty: create() with the empty name returns false (and does not
   kill the caller). */
#include "test.h"

void
test_main (void)
{
  CHECK (!create ("", 0), "create \"\" returns false");
}
