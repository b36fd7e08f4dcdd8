/* create-bad-ptr: create() with a name pointer into unmapped user memory
   kills the caller (exit -1). */
#include "test.h"

void
test_main (void)
{
  msg ("create (unmapped address, 0)");
  create ((const char *) UNMAPPED_USER, 0);
  fail ("create with a bad pointer returned");
}
