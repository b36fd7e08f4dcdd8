/* create-long: names are 1 to 14 characters: 14 and 1 are accepted, 15
   and 511 are refused with false. */
#include "test.h"

static char very_long[512];

void
test_main (void)
{
  CHECK (!create ("abcdefghijklmno", 0), "create a 15-character name: false");
  CHECK (create ("abcdefghijklmn", 0), "create a 14-character name: true");
  CHECK (open ("abcdefghijklmn") > 1, "open the 14-character name");
  CHECK (create ("x", 0), "create a 1-character name: true");
  memset (very_long, 'x', sizeof very_long - 1);
  CHECK (!create (very_long, 0), "create a 511-character name: false");
  CHECK (open ("abcdefghijklmno") == -1, "the 15-character name does not exist");
}
