/* halt: halt() powers the machine off at once: nothing after it runs and
   no exit line is printed. */
#include "test.h"

void
test_main (void)
{
  halt ();
  fail ("halt returned");
}
