/* child-simple: a child program for the exec tests.  Prints one line and
   exits with status 81. */
#include "test.h"

int
main (void)
{
  msg ("run");
  return 81;
}
