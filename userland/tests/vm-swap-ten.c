/* vm-swap-ten: ten forked children, each with 64 KiB of .bss and 32 KiB
   of stack filled with a pattern of its own.  Each fills its memory,
   creates the file "readyN" and waits until the file "go" exists; the
   parent creates "go" once all ten ready files exist.  So all ten hold
   their memory at once (about 260 pages with user_pages=64), and then
   each checks both three times over while the others do the same.  The
   parent waits for them in order; each exits with its number when all
   was right. */
#include "test.h"

#define CHILDREN 10
#define DATA_WORDS (16 * 1024)        /* 64 KiB */
#define STACK_WORDS (8 * 1024)        /* 32 KiB */

static uint32_t data[DATA_WORDS];

static uint32_t
value (size_t i, int child, int where)
{
  return (uint32_t) (i * 2654435761u) ^ (child << 24) ^ (where << 20);
}

static void __attribute__ ((noinline))
child_work (int child)
{
  volatile uint32_t stack[STACK_WORDS];
  char name[16];
  size_t i;
  int round, fd;

  for (i = 0; i < DATA_WORDS; i++)
    data[i] = value (i, child, 1);
  for (i = 0; i < STACK_WORDS; i++)
    stack[i] = value (i, child, 2);
  snprintf (name, sizeof name, "ready%d", child);
  if (!create (name, 0))
    fail ("child %d: cannot create %s", child, name);
  while ((fd = open ("go")) < 0)
    continue;
  close (fd);
  for (round = 0; round < 3; round++)
    {
      for (i = 0; i < DATA_WORDS; i++)
        if (data[i] != value (i, child, 1))
          fail ("child %d: data word %zu is wrong", child, i);
      for (i = 0; i < STACK_WORDS; i++)
        if (stack[i] != value (i, child, 2))
          fail ("child %d: stack word %zu is wrong", child, i);
    }
  exit (child);
}

void
test_main (void)
{
  pid_t pids[CHILDREN];
  char name[16];
  int c;

  for (c = 0; c < CHILDREN; c++)
    {
      snprintf (name, sizeof name, "child%d", c);
      pids[c] = fork (name);
      if (pids[c] == 0)
        child_work (c);
      if (pids[c] < 0)
        fail ("fork %d failed", c);
    }
  msg ("forked 10 children");
  for (c = 0; c < CHILDREN; c++)
    {
      int fd;
      snprintf (name, sizeof name, "ready%d", c);
      while ((fd = open (name)) < 0)
        continue;
      close (fd);
    }
  CHECK (create ("go", 0), "all 10 have filled their memory: create go");
  for (c = 0; c < CHILDREN; c++)
    CHECK (wait (pids[c]) == c, "child%d checked its data and stack", c);
}
