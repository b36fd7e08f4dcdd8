/* exec-long: exec with a 250-byte command line of 40 arguments passes
   them all. */
#include "test.h"

static char cmdline[512];

void
test_main (void)
{
  int i;

  strlcpy (cmdline, "child-args", sizeof cmdline);
  for (i = 0; i < 40; i++)
    {
      char word[8];
      snprintf (word, sizeof word, " arg%02d", i);
      strlcat (cmdline, word, sizeof cmdline);
    }
  strlcat (cmdline, " ", sizeof cmdline);
  CHECK (strlen (cmdline) == 251, "the command line is 251 bytes long");
  CHECK (wait (spawn ("child", cmdline)) == 0, "wait returns 0");
}
