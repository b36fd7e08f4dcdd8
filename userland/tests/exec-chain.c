/* exec-chain: a child execs child-chain 3, which execs child-chain 2, and
   so on down to child-chain 0, which exits with 99: one process, four
   programs in turn, one exit line (with the fork name). */
#include "test.h"

void
test_main (void)
{
  CHECK (wait (spawn ("chain", "child-chain 3")) == 99, "wait returns 99");
}
