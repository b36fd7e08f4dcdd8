/* args-dbl-space: arguments separated by runs of spaces: no empty
   arguments appear. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
