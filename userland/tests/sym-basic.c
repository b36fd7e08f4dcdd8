/* sym-basic: symlink (target, linkpath) returns 0 or -1; links are
   followed in every component of every lookup, a relative target from the
   link's own directory; dangling links and loops fail cleanly; a chain of
   16 links is followed, 17 are not (docs/fs.md); remove takes the link,
   not its target. */
#include "test.h"

static int
read_text (const char *path, char *buf, int size)
{
  int fd = open (path);
  if (fd < 0)
    return -1;
  int n = read (fd, buf, size - 1);
  close (fd);
  buf[n < 0 ? 0 : n] = '\0';
  return n;
}

void
test_main (void)
{
  char buf[32], name[16], prev[16];
  int fd, t;

  CHECK (create ("t", 0) && (t = open ("t")) > 1 && write (t, "target", 6) == 6,
         "create t holding \"target\"");
  CHECK (symlink ("t", "l") == 0, "symlink t <- l");
  CHECK (read_text ("l", buf, sizeof buf) == 6 && strcmp (buf, "target") == 0,
         "l reads as t");
  fd = open ("l");
  CHECK (inumber (fd) == inumber (t), "and is t (same inumber)");
  CHECK (symlink ("t", "l") == -1 && !create ("l", 0) && !mkdir ("l"),
         "l cannot be made again");
  CHECK (mkdir ("d") && create ("d/x", 0) && mkdir ("d/sub"), "mkdir d, d/sub, create d/x");
  CHECK (symlink ("d", "ld") == 0, "symlink d <- ld");
  CHECK (open ("ld/x") > 1 && isdir (open ("ld")), "ld/x opens, ld is a directory");
  CHECK (symlink ("../../t", "d/sub/up") == 0, "symlink ../../t <- d/sub/up");
  CHECK (read_text ("d/sub/up", buf, sizeof buf) == 6, "relative to the link's directory");
  CHECK (read_text ("ld/sub/up", buf, sizeof buf) == 6, "also through the link ld");
  CHECK (symlink ("/d/x", "d/sub/abs") == 0 && open ("d/sub/abs") > 1, "an absolute target");
  CHECK (chdir ("ld/sub") && read_text ("up", buf, sizeof buf) == 6, "chdir through ld");
  CHECK (chdir ("/"), "back to /");

  CHECK (symlink ("nothing", "dl") == 0, "symlink to a missing name works");
  CHECK (open ("dl") == -1 && !chdir ("dl"), "but opening it fails");
  CHECK (!create ("dl", 0), "and create does not go through it");
  CHECK (symlink ("self", "self") == 0, "a link to itself");
  CHECK (open ("self") == -1 && !chdir ("self") && open ("self/x") == -1
         && !create ("self/x", 0), "lookups through it fail");
  CHECK (symlink ("p2", "p1") == 0 && symlink ("p1", "p2") == 0
         && open ("p1") == -1, "a loop of two fails");

  strlcpy (prev, "t", sizeof prev);
  for (int i = 1; i <= 17; i++)
    {
      snprintf (name, sizeof name, "c%d", i);
      if (symlink (prev, name) != 0)
        fail ("symlink %s <- %s", prev, name);
      strlcpy (prev, name, sizeof prev);
    }
  CHECK (open ("c16") > 1, "a chain of 16 links is followed");
  CHECK (open ("c17") == -1, "17 are not");

  CHECK (remove ("l") && open ("l") == -1 && open ("t") > 1, "remove l leaves t");
  CHECK (remove ("self") && remove ("dl") && remove ("ld") && open ("d/x") > 1,
         "links removed, d is still there");
  CHECK (symlink ("", "e") == -1 && symlink ("t", "") == -1
         && symlink ("t", "nodir/l") == -1, "bad symlinks fail");
  CHECK (symlink ("t", "d/sub/up/x") == -1, "a link as a directory on the way fails");
  fd = open ("d/sub");
  int links = 0;
  while (readdir (fd, name))
    links++;
  CHECK (links == 2, "readdir lists the links in d/sub");
}
