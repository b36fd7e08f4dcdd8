/* Shared by the fpu-* programs: the FXSAVE area (Intel SDM vol. 1,
   10.5.1, the 32-bit layout `fxsave` writes), a state far from the
   default to load, and comparisons that name the first field that
   differs. */
#ifndef FPU_H
#define FPU_H

#include "test.h"

struct fxarea
{
  uint16_t fcw, fsw;
  uint8_t ftw, reserved1;
  uint16_t fop;
  uint32_t fip, fcs, fdp, fds;    /* x87 last instruction: not compared */
  uint32_t mxcsr, mxcsr_mask;
  uint8_t st[8][16];
  uint8_t xmm[16][16];
  uint8_t reserved2[96];
} __attribute__ ((aligned (16)));

#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80
/* Rounding toward zero, 53-bit precision, every x87 exception masked. */
#define FCW_DIRTY 0x0e7f
/* Rounding toward zero, flush-to-zero, denormals-are-zero, every SIMD
   exception unmasked. */
#define MXCSR_DIRTY 0xe040

static inline void
fpu_save (struct fxarea *a)
{
  __asm__ volatile ("fxsave %0" : "=m" (*a));
}

/* Loads x87 control word FCW with three x87 registers in use (pi, 1,
   log2(10)), MXCSR, and xmm0-15 filled with bytes that start from SEED.
   Code after this must do no floating-point arithmetic until the state
   is checked or reset. */
static inline void
fpu_load (uint16_t fcw, uint32_t mxcsr, uint8_t seed)
{
  static uint8_t bytes[16][16] __attribute__ ((aligned (16)));

  for (int i = 0; i < 16; i++)
    for (int j = 0; j < 16; j++)
      bytes[i][j] = (uint8_t) (seed + 16 * i + j + 1);
  __asm__ volatile ("fninit; fldcw %0; fldpi; fld1; fldl2t" : : "m" (fcw));
  __asm__ volatile ("movdqa 0(%0), %%xmm0; movdqa 16(%0), %%xmm1;"
                    "movdqa 32(%0), %%xmm2; movdqa 48(%0), %%xmm3;"
                    "movdqa 64(%0), %%xmm4; movdqa 80(%0), %%xmm5;"
                    "movdqa 96(%0), %%xmm6; movdqa 112(%0), %%xmm7;"
                    "movdqa 128(%0), %%xmm8; movdqa 144(%0), %%xmm9;"
                    "movdqa 160(%0), %%xmm10; movdqa 176(%0), %%xmm11;"
                    "movdqa 192(%0), %%xmm12; movdqa 208(%0), %%xmm13;"
                    "movdqa 224(%0), %%xmm14; movdqa 240(%0), %%xmm15;"
                    "ldmxcsr %1"
                    : : "r" (bytes), "m" (mxcsr)
                    : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                      "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
                      "xmm13", "xmm14", "xmm15", "memory");
}

/* fpu_load of FCW_DIRTY and MXCSR_DIRTY. */
static inline void
fpu_dirty (uint8_t seed)
{
  fpu_load (FCW_DIRTY, MXCSR_DIRTY, seed);
}

/* Back to the default state, so that the C code after a check may use
   floating point freely. */
static inline void
fpu_reset (void)
{
  uint32_t mxcsr = MXCSR_DEFAULT;

  __asm__ volatile ("fninit; ldmxcsr %0" : : "m" (mxcsr));
}

static inline bool
all_zero (const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (p[i] != 0)
      return false;
  return true;
}

/* The first of the x87 control, status and tag words, MXCSR, st0-7
   (80 bits each) and xmm0-15 in which A and B differ, or NULL. */
static inline const char *
fpu_diff (const struct fxarea *a, const struct fxarea *b)
{
  static char what[16];

  if (a->fcw != b->fcw)
    return "x87 control word";
  if (a->fsw != b->fsw)
    return "x87 status word";
  if (a->ftw != b->ftw)
    return "x87 tag word";
  if (a->mxcsr != b->mxcsr)
    return "MXCSR";
  for (int i = 0; i < 8; i++)
    if (memcmp (a->st[i], b->st[i], 10) != 0)
      {
        snprintf (what, sizeof what, "st%d", i);
        return what;
      }
  for (int i = 0; i < 16; i++)
    if (memcmp (a->xmm[i], b->xmm[i], 16) != 0)
      {
        snprintf (what, sizeof what, "xmm%d", i);
        return what;
      }
  return NULL;
}

#endif /* FPU_H */
