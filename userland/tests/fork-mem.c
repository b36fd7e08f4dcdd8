/* fork-mem: the child starts with a copy of the parent's memory (.data,
   .bss, stack, a 3-page array) and its writes do not reach the parent. */
#include "test.h"

static int in_data = 10;
static int in_bss;
static unsigned char big[3 * PGSIZE];

static bool
big_is (unsigned char add)
{
  size_t i;
  for (i = 0; i < sizeof big; i++)
    if (big[i] != (unsigned char) (i * 7 + add))
      return false;
  return true;
}

void
test_main (void)
{
  volatile int on_stack = 30;
  size_t i;
  pid_t pid;

  in_bss = 20;
  for (i = 0; i < sizeof big; i++)
    big[i] = i * 7;
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (in_data == 10 && in_bss == 20 && on_stack == 30 && big_is (0),
             "child: sees the parent's values");
      in_data = 11;
      in_bss = 21;
      on_stack = 31;
      for (i = 0; i < sizeof big; i++)
        big[i]++;
      CHECK (in_data == 11 && in_bss == 21 && on_stack == 31 && big_is (1),
             "child: changed them all");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (in_data == 10 && in_bss == 20 && on_stack == 30 && big_is (0),
         "parent: its values are unchanged");
}
