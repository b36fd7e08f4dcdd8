/* fpu-exec-check: prints the FPU/SSE state this program found at entry
   (saved before any code that might use the units), field by field, so
   that a wrong value shows in the diff: after exec it must be the default
   one (docs/abi.md). */
#include "fpu.h"

static struct fxarea entry;

int
main (int argc, char *argv[])
{
  (void) argc;
  (void) argv;
  fpu_save (&entry);
  fpu_reset ();
  msg ("x87 control word 0x%04x", entry.fcw);
  msg ("x87 status word 0x%04x", entry.fsw);
  msg ("x87 tag word 0x%02x", entry.ftw);
  msg ("MXCSR 0x%04x", entry.mxcsr);
  msg ("st0-st7 %s", all_zero (&entry.st[0][0], sizeof entry.st) ? "clear" : "NOT clear");
  msg ("xmm0-xmm15 %s", all_zero (&entry.xmm[0][0], sizeof entry.xmm) ? "clear" : "NOT clear");
  return 0;
}
