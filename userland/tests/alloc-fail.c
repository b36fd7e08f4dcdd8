/* alloc-fail: run under fail_alloc=N, which makes every Nth kernel
   allocation fail from this program's first fork on.  Each child forks,
   grows its stack, touches fresh data, opens, reads and maps a file, and
   any of that may fail: the call returns -1 or the child is
   killed with -1.  The kernel must not panic, the parent must see every
   child it forked end, a child that runs must find its memory as it
   left it, and nothing may be leaked (the harness checks the
   accounting line, and the counter of injected failures).  No exec: a
   failed one prints `load: NAME: open failed` on the console. */
#include "test.h"

#define ROUNDS 40

static volatile char data[32 * 4096];

/* Uses a 16 KiB frame: stack growth, several pages at once. */
static int __attribute__ ((noinline))
deep (int round)
{
  volatile char frame[16 * 1024];
  for (unsigned i = 0; i < sizeof frame; i += 4096)
    frame[i] = (char) round;
  return frame[round % 4 * 4096];
}

static void
kid (int round)
{
  for (unsigned i = round % 8 * 4096; i < sizeof data; i += 4096)
    data[i] = (char) (round + i / 4096);
  if (deep (round) != (char) round)
    fail ("kid %d: its stack changed", round);
  for (unsigned i = round % 8 * 4096; i < sizeof data; i += 4096)
    if (data[i] != (char) (round + i / 4096))
      fail ("kid %d: its data changed", round);
  int fd = open ("sample.txt");
  if (fd >= 0)
    {
      char buf[32];
      read (fd, buf, sizeof buf);
      char *m = mmap ((void *) 0x10000000, 4096, 1, fd, 0);
      if (m != NULL)
        {
          m[0] = m[0];              /* dirty: written back, unchanged */
          munmap (m);
        }
      close (fd);
    }
  pid_t pid = fork ("grandkid");
  if (pid == 0)
    {
      if (deep (round) != (char) round)
        fail ("grandkid %d: its stack changed", round);
      exit (0);
    }
  if (pid > 0)
    wait (pid);
  exit (0);
}

int
main (void)
{
  msg ("begin");
  for (int i = 0; i < ROUNDS; i++)
    {
      pid_t pid = fork ("kid");
      if (pid == 0)
        kid (i);
      if (pid > 0)
        wait (pid);               /* 0, or -1 when it was killed */
    }
  msg ("end");
  return 0;
}
