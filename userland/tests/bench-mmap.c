/* bench-mmap ROUNDS: the cost of one mapping of 508 GiB (issue 18).
 *
 * Times ROUNDS rounds of mmap (vm-data-64k over 0x100000000 to
 * 0x8000000000, user space's top 508 GiB) and munmap with the cycle
 * counter, the mapping's first page touched in between, and prints the
 * median of each, in cycles.  Not a test: its output depends on the
 * machine (docs/bench.md says how it was run). */
#include <stdint.h>
#include "cycles.h"
#include "stdio.h"
#include "stdlib.h"
#include "syscall.h"

#define HUGE_ADDR ((char *) 0x100000000UL)
#define HUGE_LEN 0x7f00000000UL
#define MAX_ROUNDS 1000

static uint64_t t_map[MAX_ROUNDS], t_unmap[MAX_ROUNDS];

int
main (int argc, char *argv[])
{
  int rounds = argc > 1 ? atoi (argv[1]) : 100;
  int fd = open ("vm-data-64k");
  if (rounds < 1 || rounds > MAX_ROUNDS || fd < 2)
    {
      printf ("bench-mmap: usage: bench-mmap ROUNDS(1-%d), with vm-data-64k\n", MAX_ROUNDS);
      return 1;
    }
  for (int i = 0; i < rounds; i++)
    {
      uint64_t t0 = cycles ();
      if (mmap (HUGE_ADDR, HUGE_LEN, 0, fd, 0) != HUGE_ADDR)
        {
          printf ("bench-mmap: mmap failed\n");
          return 1;
        }
      uint64_t t1 = cycles ();
      (void) *(volatile char *) HUGE_ADDR;
      uint64_t t2 = cycles ();
      munmap (HUGE_ADDR);
      uint64_t t3 = cycles ();
      t_map[i] = t1 - t0;
      t_unmap[i] = t3 - t2;
    }
  printf ("bench-mmap: %d rounds: mmap of 508 GiB median %llu cycles, munmap median %llu cycles\n",
          rounds, (unsigned long long) median_cycles (t_map, rounds),
          (unsigned long long) median_cycles (t_unmap, rounds));
  return 0;
}
