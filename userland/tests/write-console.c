/* write-console: one write() of 3000 bytes (40 lines) to the console
   prints all of them, in order, and returns 3000. */
#include "test.h"

#define LINES 40
#define WIDTH 75

static char block[LINES * WIDTH];

void
test_main (void)
{
  int i, n;

  for (i = 0; i < LINES; i++)
    {
      char *line = block + i * WIDTH;
      memset (line, '.', WIDTH - 1);
      line[WIDTH - 1] = '\n';
      memcpy (line, "line ", 5);
      line[5] = '0' + i / 10;
      line[6] = '0' + i % 10;
      line[7] = ' ';
    }
  n = write (STDOUT_FILENO, block, sizeof block);
  CHECK (n == (int) sizeof block, "write returned 3000");
}
