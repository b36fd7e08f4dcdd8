/* open-bound: a name that crosses a page boundary (both pages valid)
   opens the file. */
#include "test.h"

void
test_main (void)
{
  CHECK (open (across_page ("sample.txt", 5)) > 1,
         "open \"sample.txt\" crossing a page boundary");
}
