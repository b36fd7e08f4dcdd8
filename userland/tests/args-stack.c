/* args-stack: the initial stack as the ABI describes it: rsp % 16 == 8 at
   entry, [rsp] is a fake return address 0, argv is 8-byte aligned, and
   argv[] and the argument strings lie on the stack just below USER_STACK,
   above rsp, with argv[argc] == NULL. */
#include "test.h"

int
main (int argc, char *argv[])
{
  uintptr_t rsp = __entry_rsp;
  uintptr_t av = (uintptr_t) argv;
  bool strings_ok = true;
  int i;

  msg ("begin");
  CHECK (rsp % 16 == 8, "rsp %% 16 == 8 at entry");
  CHECK (*(uint64_t *) rsp == 0, "return address at [rsp] is 0");
  CHECK (av % 8 == 0, "argv is 8-byte aligned");
  CHECK (av > rsp && av < USER_STACK, "argv lies between rsp and USER_STACK");
  CHECK (USER_STACK - rsp < PGSIZE, "all of it lies in the top stack page");
  CHECK (argc == 4 && argv[argc] == NULL, "argc is 4 and argv[4] is null");
  for (i = 0; i < argc; i++)
    {
      uintptr_t s = (uintptr_t) argv[i];
      if (s < av + (argc + 1) * sizeof (char *)
          || s + strlen (argv[i]) >= USER_STACK)
        strings_ok = false;
    }
  CHECK (strings_ok, "argument strings lie between argv[] and USER_STACK");
  msg ("end");
  return 0;
}
