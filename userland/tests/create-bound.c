/* create-bound: a name that crosses a page boundary (both pages valid) is
   read whole: create() succeeds and the file opens under its full name. */
#include "test.h"

void
test_main (void)
{
  CHECK (create (across_page ("bound.txt", 4), 0),
         "create \"bound.txt\" crossing a page boundary");
  CHECK (open ("bound.txt") > 1, "open bound.txt");
}
