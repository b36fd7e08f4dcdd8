/* exit-return: returning from main ends the process with main's return
   value (the library's _start calls exit (main (argc, argv))). */
#include "test.h"

int
main (void)
{
  msg ("returning 42 from main");
  return 42;
}
