/* dir-child: a child program for dir-cwd.  Opens each argument (a path
   relative to its working directory) and says whether it could; exits
   with the number it could not open. */
#include "test.h"

int
main (int argc, char *argv[])
{
  int missing = 0;
  for (int i = 1; i < argc; i++)
    {
      int fd = open (argv[i]);
      msg ("open %s: %s", argv[i], fd > 1 ? "found" : "missing");
      if (fd <= 1)
        missing++;
    }
  return missing;
}
