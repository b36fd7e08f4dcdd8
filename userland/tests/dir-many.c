/* dir-many: 2,000 entries in one directory (16 blocks, so it grows past
   its 12 direct blocks into the indirect one): each created, found, listed
   once by readdir, and removed; the directory then lists nothing and can
   be removed. */
#include "test.h"

#define N 2000

static unsigned char seen[N];

void
test_main (void)
{
  char name[READDIR_MAX_LEN + 1];
  int fd, listed = 0;

  CHECK (mkdir ("big") && chdir ("big"), "mkdir big, chdir big");
  for (int i = 0; i < N; i++)
    {
      snprintf (name, sizeof name, "f%d", i);
      if (!create (name, 0))
        fail ("create %s", name);
    }
  msg ("created %d files", N);
  CHECK (!create ("f1234", 0), "f1234 exists already");
  CHECK (open ("/big/f1999") > 1 && open ("f0") > 1, "first and last open");
  CHECK ((fd = open (".")) > 1, "open big");
  while (readdir (fd, name))
    {
      int i = atoi (name + 1);
      if (name[0] != 'f' || i < 0 || i >= N || seen[i]++)
        fail ("readdir gave %s", name);
      listed++;
    }
  CHECK (listed == N, "readdir lists each once");
  for (int i = 0; i < N; i++)
    {
      snprintf (name, sizeof name, "f%d", i);
      if (!remove (name))
        fail ("remove %s", name);
    }
  msg ("removed %d files", N);
  seek (fd, 0);
  CHECK (!readdir (fd, name), "big lists nothing");
  CHECK (chdir ("..") && remove ("big"), "remove big");
}
