/* Shared by the args-* programs: prints argc and every argv[] entry,
   including the terminating null pointer. */
#ifndef ARGS_H
#define ARGS_H

#include "test.h"

static int
dump_args (int argc, char *argv[])
{
  int i;

  msg ("begin");
  msg ("argc = %d", argc);
  for (i = 0; i <= argc; i++)
    if (argv[i] != NULL)
      msg ("argv[%d] = '%s'", i, argv[i]);
    else
      msg ("argv[%d] = null", i);
  msg ("end");
  return 0;
}

#endif /* ARGS_H */
