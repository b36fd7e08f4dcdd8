/* bench-swap PAGES PASSES: the swap benchmark (bench/run.py).
 *
 * Writes PAGES pages of anonymous memory (run it with four times as many
 * pages as the user pool holds), then cycles through them PASSES times,
 * in order, checking each page's word and writing a new one, so that
 * every pass swaps the whole array out and back in.  Prints the cycle
 * count of the whole (rdtsc) and fails on a wrong word: the swapped data
 * must come back as written.  bench/run.py turns the cycles and the
 * kernel's swap counters into MB/s.  Not a test: its output depends on
 * the machine. */
#include <stdint.h>
#include "cycles.h"
#include "stdio.h"
#include "stdlib.h"
#include "syscall.h"

#define MAX_PAGES 8192                  /* 32 MiB */
#define PGSIZE 4096
#define WORDS_PER_PAGE (PGSIZE / 8)

static uint64_t memory[MAX_PAGES * WORDS_PER_PAGE];

/* The word of page P after pass PASS (0: the first write). */
static uint64_t
word (int p, int pass)
{
  return (uint64_t) p * 0x9e3779b97f4a7c15ull ^ (uint64_t) pass;
}

int
main (int argc, char *argv[])
{
  int pages = argc > 1 ? atoi (argv[1]) : 1024;
  int passes = argc > 2 ? atoi (argv[2]) : 2;
  if (pages < 1 || pages > MAX_PAGES || passes < 0 || passes > 100)
    {
      printf ("bench-swap: usage: bench-swap PAGES(1-%d) PASSES(0-100)\n", MAX_PAGES);
      return 2;
    }
  uint64_t start = cycles ();
  for (int p = 0; p < pages; p++)
    for (int w = 0; w < WORDS_PER_PAGE; w += 64)
      memory[p * WORDS_PER_PAGE + w] = word (p, 0) + w;
  for (int pass = 1; pass <= passes; pass++)
    for (int p = 0; p < pages; p++)
      for (int w = 0; w < WORDS_PER_PAGE; w += 64)
        {
          uint64_t *x = &memory[p * WORDS_PER_PAGE + w];
          if (*x != word (p, pass - 1) + w)
            {
              printf ("bench-swap: page %d word %d wrong after pass %d\n", p, w, pass - 1);
              return 1;
            }
          *x = word (p, pass) + w;
        }
  printf ("bench-swap: pages=%d passes=%d cycles=%lu\n", pages, passes,
          (unsigned long) (cycles () - start));
  return 0;
}
