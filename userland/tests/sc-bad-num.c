/* sc-bad-num: an unknown system call number kills the caller (exit -1).
   Children try 23 (one past the last call), 1000, -1, and 0x100000001,
   which a kernel that looks only at eax would take for EXIT; then the
   parent itself calls number 24. */
#include "test.h"

void
test_main (void)
{
  static const long numbers[] = { 23, 1000, -1, 0x100000001L };
  unsigned i;

  for (i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    {
      pid_t pid = fork ("bad-number");
      if (pid == 0)
        {
          syscall_raw (numbers[i], 77, 0, 0, 0, 0, 0);
          fail ("system call %#lx returned", numbers[i]);
        }
      if (pid < 0)
        fail ("fork failed");
      CHECK (wait (pid) == -1, "system call %#lx killed the child", numbers[i]);
    }
  msg ("system call 24 in the parent");
  syscall_raw (24, 77, 0, 0, 0, 0, 0);
  fail ("system call 24 returned");
}
