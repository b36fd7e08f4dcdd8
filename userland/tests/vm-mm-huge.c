/* vm-mm-huge: a mapping is one record for its whole range, so its size
   costs nothing (issue 18).  The parent maps vm-data-64k over 508 GiB of
   user space (0x100000000 to 0x8000000000) again and again: each mmap
   returns its address, the first page reads as the file, the last page
   reads as zeros, a second mapping inside the range is refused, and
   munmap frees the range for the next round.  Meanwhile a sibling keeps
   faulting in new pages, opening a file and forking; the parent goes on
   until the sibling says it is done, so every one of the sibling's steps
   runs beside the parent's mmaps, and for at least ROUNDS_MIN rounds.
   When a mapping's cost grows with its length, each mmap holds the VM
   lock for seconds, the sibling's faults wait behind it, and the rounds
   alone take longer than the test's timeout (ROUNDS_MIN rounds of 8 ms
   each already do: a round takes about 30 us when the cost does not
   grow, and the parent runs thousands of them beside the sibling
   anyway). */
#include "test.h"
#include "sibling.h"

#define HUGE_ADDR ((char *) 0x100000000UL)
#define HUGE_LEN 0x7f00000000UL
#define ROUNDS_MIN 8192
#define ROUNDS_MAX 1000000

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

static void
sibling (int k)
{
  (void) k;
  sibling_steps ("vm-data-64k", "sibling-done");
}

void
test_main (void)
{
  volatile char *last = HUGE_ADDR + HUGE_LEN - PGSIZE;
  pid_t pid;
  int fd, fd2, rounds = 0;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  fork_children ("sibling", 1, sibling, &pid);
  while (rounds < ROUNDS_MIN || (fd2 = open ("sibling-done")) < 0)
    {
      if (++rounds > ROUNDS_MAX)
        fail ("the sibling never finished");
      if (mmap (HUGE_ADDR, HUGE_LEN, 0, fd, 0) != HUGE_ADDR)
        fail ("round %d: mmap of 508 GiB did not return its address", rounds);
      if ((unsigned char) HUGE_ADDR[5000] != pattern (5000) || *last != 0)
        fail ("round %d: the mapping does not read as the file and zeros", rounds);
      if (mmap (HUGE_ADDR + 0x4000000000UL, PGSIZE, 0, fd, 0) != NULL)
        fail ("round %d: a mapping inside the 508 GiB one was not refused", rounds);
      munmap (HUGE_ADDR);
    }
  close (fd2);
  CHECK (wait (pid) == 0, "the sibling faulted, opened and forked beside them: wait returns 0");
  msg ("each 508 GiB mmap returned its address and read as the file");
  CHECK (mmap (HUGE_ADDR + 0x4000000000UL, PGSIZE, 0, fd, 0) == HUGE_ADDR + 0x4000000000UL,
         "after munmap the range is free again");
}
