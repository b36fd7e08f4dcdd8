/* write-atomic: two children each print a 16-line, 1 KiB block with one
   write, at the same time; each block comes out whole (either may come
   first).  Exit lines are ignored (their places are free); the parent
   checks the statuses with wait. */
#include "test.h"

#define LINES 16
#define WIDTH 64

static char block[LINES * WIDTH];

static void
print_block (char letter)
{
  int i;

  for (i = 0; i < LINES; i++)
    {
      char *line = block + i * WIDTH;
      memset (line, letter, WIDTH - 1);
      line[WIDTH - 1] = '\n';
      line[0] = '0' + i / 10;
      line[1] = '0' + i % 10;
      line[2] = ' ';
    }
  if (write (STDOUT_FILENO, block, sizeof block) != (int) sizeof block)
    exit (2);
  exit (0);
}

void
test_main (void)
{
  pid_t a, b;

  a = fork ("writer-a");
  if (a == 0)
    print_block ('a');
  b = fork ("writer-b");
  if (b == 0)
    print_block ('b');
  if (a < 0 || b < 0)
    fail ("fork failed");
  CHECK (wait (a) == 0 && wait (b) == 0, "both writers exited with 0");
}
