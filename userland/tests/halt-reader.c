/* halt-reader: halt() ends every process, including one blocked reading
   the console (fd 0) with no input coming: the machine powers off instead
   of waiting for a byte that never arrives. */
#include "test.h"

void
test_main (void)
{
  pid_t pid = fork ("reader");
  if (pid < 0)
    fail ("fork failed");
  if (pid == 0)
    {
      char c;
      if (!create ("reading", 0))
        fail ("create failed");
      read (0, &c, 1);            /* blocks: the harness sends no input */
      fail ("read returned before halt");
    }
  await_file ("reading");
  for (int i = 0; i < 2000; i++)  /* let the child get into read() */
    close (open ("reading"));
  msg ("halting while the child waits for input");
  halt ();
  fail ("halt returned");
}
