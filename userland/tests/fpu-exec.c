/* fpu-exec: exec starts the new image with the default FPU/SSE state,
   whatever the old image left: this program rounds toward zero on both
   units, unmasks every SIMD exception, leaves three x87 registers in use
   and xmm0-15 full, then execs fpu-exec-check, which reports the state it
   finds at entry. */
#include "fpu.h"

void
test_main (void)
{
  fpu_dirty (0x40);
  exec ("fpu-exec-check");
  fpu_reset ();
  fail ("exec of fpu-exec-check failed");
}
