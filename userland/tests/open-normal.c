/* open-normal: open() of an existing file returns a descriptor of 2 or
   more (0 and 1 are the console). */
#include "test.h"

void
test_main (void)
{
  CHECK (open ("sample.txt") > 1, "open sample.txt");
}
