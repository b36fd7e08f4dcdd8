/* vm-elf-huge: an executable's segment is one region whatever its size
   (issue 18; the toml sets kmem_limit=256, in KiB).  elf-huge-bss is
   this program with a 508 GiB writable segment of zeros at 0x100000000
   (userland/elftool.py huge-zero).  Run with the argument "toucher", it
   touches a page every 64 MiB of that segment: each touch charges it a
   page record block and page tables, and a fault at its limit kills it.
   Run as the test, it execs that copy in a child, which must load at no
   cost for the segment's size and be killed by its limit only, while a
   sibling faults, opens and forks and exits 0. */
#include "test.h"
#include "sibling.h"

#define HUGE_ZERO 0x100000000UL
#define STRIDE 0x4000000UL            /* 64 MiB */
#define TOUCHES 8128                  /* 508 GiB / 64 MiB */

static void
toucher (const void *arg)
{
  (void) arg;
  exec ("elf-huge-bss toucher");
  fail ("exec of elf-huge-bss failed");
}

static void
sibling (int k)
{
  (void) k;
  sibling_steps ("elf-huge-bss", "sibling-done");
}

int
main (int argc, char *argv[])
{
  pid_t pid;
  int i;

  if (argc == 2 && !strcmp (argv[1], "toucher"))
    {
      for (i = 0; i < TOUCHES; i++)
        if (((volatile char *) HUGE_ZERO)[i * STRIDE] != 0)
          fail ("page %d of the segment is not zero", i);
      msg ("touched the whole segment: not killed");
      return 0;
    }
  msg ("begin");
  fork_children ("sibling", 1, sibling, &pid);
  check_killed ("elf-huge-bss", toucher, NULL);
  CHECK (wait (pid) == 0, "beside it a sibling faulted, opened and forked: wait returns 0");
  msg ("end");
  return 0;
}
