/* dir-deep: a tree of directories as deep as the disk allows: mkdir and
   chdir until mkdir fails (no inode or no block left), the whole path
   opens from the root, then every level is removed on the way up and the
   space comes back. */
#include "test.h"

static char path[4096];

void
test_main (void)
{
  int depth = 0;

  while (mkdir ("d"))
    {
      if (!chdir ("d"))
        fail ("chdir at depth %d", depth);
      depth++;
    }
  CHECK (depth >= 100, "mkdir fails at a depth of at least 100");
  CHECK (!create ("f", 0) || remove ("f"), "at the bottom, create fails or works");
  for (int i = 0; i < depth; i++)
    strlcat (path, "/d", sizeof path);
  int fd = open (path);
  CHECK (fd > 1 && isdir (fd), "the whole path opens from the root");
  close (fd);
  for (int i = 0; i < depth; i++)
    if (!chdir ("..") || !remove ("d"))
      fail ("remove at depth %d", depth - i);
  CHECK (open ("d") == -1, "every level removed");
  CHECK (mkdir ("d") && chdir ("d") && mkdir ("d"), "there is room again");
}
