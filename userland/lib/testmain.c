/* Folio user library: main() for programs that define test_main().  It
   is a separate archive member, linked only when the program has no main
   of its own. */
#include "test.h"

int
main (int argc, char *argv[])
{
  (void) argc;
  (void) argv;
  msg ("begin");
  test_main ();
  msg ("end");
  return 0;
}
