/* args-single: argument passing with one argument. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
