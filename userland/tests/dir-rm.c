/* dir-rm: remove takes an empty directory and refuses a non-empty one;
   a directory removed while it is a working directory or open stays
   usable as a descriptor but names nothing: lookups from it fail, readdir
   ends at once, and nothing can be created in it (docs/fs.md). */
#include "test.h"

void
test_main (void)
{
  char name[READDIR_MAX_LEN + 1];
  int fd;

  CHECK (mkdir ("e") && remove ("e"), "mkdir e, remove e");
  CHECK (open ("e") == -1, "e is gone");
  CHECK (mkdir ("e"), "the name can be used again");
  CHECK (create ("e/f", 0), "create e/f");
  CHECK (!remove ("e"), "remove of non-empty e fails");
  CHECK (remove ("e/f") && remove ("e"), "remove e/f, then e");

  CHECK (mkdir ("w"), "mkdir w");
  CHECK ((fd = open ("w")) > 1, "open w");
  int ino = inumber (fd);
  CHECK (chdir ("w"), "chdir w");
  CHECK (create ("tmp", 0) && remove ("tmp"), "create and remove in w");
  CHECK (remove ("/w"), "remove /w while it is the working directory");
  CHECK (open ("/w") == -1, "/w is gone");
  CHECK (!create ("new", 0), "create in the removed directory fails");
  CHECK (!mkdir ("sub"), "mkdir in it fails");
  CHECK (open (".") == -1, "open . fails");
  CHECK (!chdir (".."), "chdir .. fails");
  CHECK (isdir (fd) && inumber (fd) == ino, "the descriptor is still a directory");
  CHECK (!readdir (fd, name), "readdir of it ends at once");
  CHECK (open ("/") > 1, "absolute paths still work");
  CHECK (chdir ("/"), "chdir / gets out");
  CHECK (create ("w", 0), "w can be a file now");
  close (fd);
  CHECK (remove ("w"), "remove it");
}
