/* args-none: argument passing without arguments: argc is 1, argv[0] is
   the program name and argv[1] is null. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
