/* dir-basic: mkdir, chdir, absolute and relative paths with "." and "..",
   isdir and inumber on descriptors of files and directories, and readdir
   listing every name but "." and "..", once each. */
#include "test.h"

/* Lists the directory open on FD in the order readdir gives, as one line. */
static void
list (int fd, const char *what)
{
  char name[READDIR_MAX_LEN + 1];
  char line[256] = "";
  while (readdir (fd, name))
    {
      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        fail ("readdir returned \"%s\"", name);
      strlcat (line, " ", sizeof line);
      strlcat (line, name, sizeof line);
    }
  msg ("%s:%s", what, line);
}

void
test_main (void)
{
  int root, a, b, f, g;

  CHECK (mkdir ("a"), "mkdir a");
  CHECK (mkdir ("/a/b"), "mkdir /a/b");
  CHECK (!mkdir ("a"), "mkdir a again fails");
  CHECK (create ("a/b/f", 10), "create a/b/f");
  CHECK (chdir ("a"), "chdir a");
  CHECK (create ("./b/../g", 3), "create ./b/../g");
  CHECK ((g = open ("/a/g")) > 1, "open /a/g");
  CHECK (filesize (g) == 3, "/a/g is 3 bytes");
  CHECK ((f = open ("b/f")) > 1, "open b/f from a");
  CHECK (filesize (f) == 10, "b/f is 10 bytes");
  CHECK (!isdir (f), "isdir (b/f) is false");
  CHECK ((b = open ("b")) > 1, "open directory b");
  CHECK (isdir (b), "isdir (b)");
  CHECK ((a = open (".")) > 1, "open .");
  CHECK ((root = open ("..")) > 1, "open ..");
  CHECK (isdir (a) && isdir (root), "both are directories");
  CHECK (inumber (a) != inumber (b) && inumber (b) != inumber (f)
         && inumber (f) != inumber (g) && inumber (root) != inumber (a),
         "inumbers differ");
  int again = open ("/a/b/../b/./f");
  CHECK (inumber (again) == inumber (f), "another path to f, same inumber");
  list (a, "a holds");
  list (b, "a/b holds");
  CHECK (chdir ("b"), "chdir b");
  CHECK (chdir ("../.."), "chdir ../..");
  CHECK (open ("a/b/f") > 1, "a/b/f from the root again");
  CHECK (chdir ("/a/b/"), "chdir /a/b/ (trailing slash)");
  CHECK (!chdir ("f"), "chdir to a file fails");
  CHECK (!chdir ("nowhere"), "chdir to a missing name fails");
  CHECK (open ("f") > 1, "still in /a/b");
}
