/* The CPU's time-stamp counter, for the benchmarks' timings. */
#ifndef USER_CYCLES_H
#define USER_CYCLES_H

#include <stdint.h>

/* The TSC now (rdtsc).  Under QEMU's TCG it runs at the host's TSC rate,
   which the kernel's iobench self-test measures. */
static inline uint64_t
cycles (void)
{
  uint32_t lo, hi;
  __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi));
  return ((uint64_t) hi << 32) | lo;
}

#endif
