/* args-many: argument passing with 22 arguments (23 argv entries). */
#include "args.h"

int
main (int argc, char *argv[])
{
  return dump_args (argc, argv);
}
