/* vm-exit-reuse: exit frees a process's frames and swap slots: six
   children one after the other each write 1 MiB (256 pages, user_pages=64,
   a 2 MiB swap disk of 512 slots) and exit with most of it in swap.  Were
   the slots of the dead not freed, the third child would run out of swap
   and be killed; every wait must return 0. */
#include "test.h"

#define CHILDREN 6
#define PAGES 256

static unsigned char arr[PAGES * 4096];

void
test_main (void)
{
  char name[16];
  pid_t pid;
  int c, k;

  for (c = 1; c <= CHILDREN; c++)
    {
      snprintf (name, sizeof name, "child%d", c);
      pid = fork (name);
      if (pid == 0)
        {
          for (k = 0; k < PAGES; k++)
            arr[k * PGSIZE + c] = k + c;
          if (arr[c] != c || arr[(PAGES - 1) * PGSIZE + c]
              != (unsigned char) (PAGES - 1 + c))
            fail ("child %d: lost a byte", c);
          exit (0);
        }
      if (pid < 0)
        fail ("fork %d failed", c);
      CHECK (wait (pid) == 0, "child%d wrote 1 MiB and exited: wait returns 0", c);
    }
}
