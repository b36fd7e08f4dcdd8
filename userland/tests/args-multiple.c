/* args-multiple: argument passing with several arguments, one of them
   with punctuation. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
