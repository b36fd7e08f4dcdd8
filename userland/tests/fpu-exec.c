/* fpu-exec [SEED]: exec starts the new image with the default FPU/SSE
   state, whatever the old image left: this program rounds toward zero on
   both units, unmasks every SIMD exception, leaves three x87 registers in
   use and xmm0-15 full, then execs fpu-exec-check, which reports the
   state it finds at entry.  With SEED (make fuzz's FPU group) the x87
   precision and rounding, every MXCSR bit the CPU allows and the xmm
   bytes come from SEED instead; x87 exceptions stay masked. */
#include "fpu.h"

int
main (int argc, char *argv[])
{
  uint16_t fcw = FCW_DIRTY;
  uint32_t mxcsr = MXCSR_DIRTY;
  uint8_t bytes = 0x40;

  msg ("begin");
  if (argc > 1)
    {
      static struct fxarea now;
      uint32_t r = (uint32_t) atoi (argv[1]) * 2654435761u + 0x9e3779b9u;
      fpu_save (&now);
      fcw = 0x007f | (r & 0x1f00);
      mxcsr = (r >> 16) & (now.mxcsr_mask ? now.mxcsr_mask : 0xffbf);
      bytes = (uint8_t) r;
    }
  fpu_load (fcw, mxcsr, bytes);
  exec ("fpu-exec-check");
  fpu_reset ();
  fail ("exec of fpu-exec-check failed");
}
