/* bench-fork MIB ITERATIONS: the fork benchmark (harness/bench.py).
 *
 * Touches MIB MiB of anonymous memory (one write per page), then times
 * ITERATIONS rounds of fork + child exit + wait with the cycle counter and
 * prints the median and the minimum, in cycles per round.  Whether fork
 * copies eagerly or shares copy-on-write is the kernel's `cow=` option.
 * Not a test: its output depends on the machine. */
#include <stdint.h>
#include "cycles.h"
#include "stdio.h"
#include "stdlib.h"
#include "syscall.h"

#define MAX_MIB 16
#define MAX_ITER 1000

static char memory[MAX_MIB << 20];
static uint64_t samples[MAX_ITER];

int
main (int argc, char *argv[])
{
  int mib = argc > 1 ? atoi (argv[1]) : 16;
  int iterations = argc > 2 ? atoi (argv[2]) : 10;
  if (mib < 0 || mib > MAX_MIB || iterations < 0 || iterations > MAX_ITER)
    {
      printf ("bench-fork: usage: bench-fork MIB(0-%d) ITERATIONS(0-%d)\n",
              MAX_MIB, MAX_ITER);
      return 2;
    }
  size_t bytes = (size_t) mib << 20;
  volatile char *touch = memory;           /* every store must happen */
  for (size_t i = 0; i < bytes; i += 4096)
    touch[i] = (char) (i >> 12 | 1);

  for (int i = 0; i < iterations; i++)
    {
      uint64_t start = cycles ();
      pid_t pid = fork ("c");
      if (pid == 0)
        exit (0);
      if (pid < 0 || wait (pid) != 0)
        {
          printf ("bench-fork: fork or wait failed\n");
          return 1;
        }
      samples[i] = cycles () - start;
    }
  if (iterations > 0)
    {
      uint64_t median = median_cycles (samples, iterations);
      printf ("bench-fork: mib=%d pages=%d iterations=%d median_cycles=%lu min_cycles=%lu\n",
              mib, (int) (bytes >> 12), iterations,
              (unsigned long) median, (unsigned long) samples[0]);
    }
  return 0;
}
