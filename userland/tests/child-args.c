/* child-args: a child program for the exec tests: prints its argc and
   argv[] like the args-* tests and exits with 0. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
