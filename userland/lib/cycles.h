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

/* The median of the N (at least 1) samples at A, which it sorts in
   place (insertion sort: the benchmarks take at most a thousand). */
static inline uint64_t
median_cycles (uint64_t *a, int n)
{
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && a[j - 1] > a[j]; j--)
      {
        uint64_t t = a[j];
        a[j] = a[j - 1];
        a[j - 1] = t;
      }
  return a[n / 2];
}

#endif
