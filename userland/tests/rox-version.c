/* rox-version: prints the version string it carries in read-only data.
   With an argument it first creates "version-ready", then waits for
   "version-go" and exits, so that a test can write its executable the
   moment it may (rox-drop). */
#include "test.h"

static const char version[] = "VERSION-1";

int
main (int argc, char *argv[])
{
  (void) argv;
  msg ("%s", version);
  if (argc > 1)
    {
      if (!create ("version-ready", 0))
        fail ("create version-ready failed");
      await_file ("version-go");
    }
  return 0;
}
