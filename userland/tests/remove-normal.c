/* remove-normal: remove() of a file returns true and the name is gone
   (open fails, a second remove returns false, the name can be created
   again); remove of a missing or empty name returns false. */
#include "test.h"

void
test_main (void)
{
  CHECK (create ("doomed", 10), "create doomed");
  CHECK (remove ("doomed"), "remove doomed");
  CHECK (open ("doomed") == -1, "open doomed returns -1");
  CHECK (!remove ("doomed"), "remove doomed again returns false");
  CHECK (!remove ("no-such-file"), "remove no-such-file returns false");
  CHECK (!remove (""), "remove \"\" returns false");
  CHECK (create ("doomed", 0), "create doomed again");
}
