/* args-long: a command line of about 200 bytes (longer than the
   128-byte minimum) is passed whole. */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
