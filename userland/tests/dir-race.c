/* dir-race: two processes create and remove names in one directory at
   once, each its own names and both one shared name; every call on an own
   name works, the shared one is never there twice, and the directory ends
   holding exactly what they left. */
#include "test.h"

#define ROUNDS 150

static void
worker (int k)
{
  char name[16];
  int shared = 0;
  for (int i = 0; i < ROUNDS; i++)
    {
      snprintf (name, sizeof name, "w%d-%d", k, i % 7);
      if (!create (name, 0) || open (name) < 2 || !remove (name))
        exit (10 + k);
      if (create ("shared", 0))
        shared++;
      remove ("shared");
      if (i % 30 == 0)
        close (2);
    }
  snprintf (name, sizeof name, "keep%d", k);
  exit (create (name, 0) ? 0 : 20 + k);
}

void
test_main (void)
{
  pid_t pids[2];
  char name[READDIR_MAX_LEN + 1];
  int fd, n = 0;

  CHECK (mkdir ("r") && chdir ("r"), "mkdir r, chdir r");
  fork_children ("worker", 2, worker, pids);
  CHECK (wait (pids[0]) == 0 && wait (pids[1]) == 0, "both workers succeed");
  CHECK ((fd = open (".")) > 1, "open r");
  while (readdir (fd, name))
    if (strcmp (name, "keep0") == 0 || strcmp (name, "keep1") == 0)
      n++;
    else
      fail ("r holds %s", name);
  CHECK (n == 2, "r holds keep0 and keep1 only");
}
