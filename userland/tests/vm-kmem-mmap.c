/* vm-kmem-mmap: a process's kernel memory is bounded (issue 18; the toml
   sets kmem_limit=256, in KiB).  The mapper maps the one-page sample.txt
   again and again, 64 MiB apart, until mmap refuses: the refusal comes
   from its limit, long before user space is full (8128 such mappings),
   and munmap gives the memory back, so it can touch a page and map
   again.  While it holds
   its limit, a sibling faults, opens and forks and exits 0.  Then a
   toucher maps the same way and touches each mapping's page, whose record
   and page tables are charged to it: a fault at its limit kills it, and
   only it. */
#include "test.h"
#include "sibling.h"

#define BASE 0x100000000UL
#define STRIDE 0x4000000UL            /* 64 MiB */
#define MAX_MAPS 8128                 /* (0x8000000000 - BASE) / STRIDE */

static int fd;

/* Maps sample.txt at slot N; true on success. */
static bool
map_slot (int n)
{
  char *at = (char *) (BASE + n * STRIDE);
  return mmap (at, PGSIZE, 0, fd, 0) == at;
}

static void
mapper (int k)
{
  int n = 0, i;

  (void) k;
  while (n < MAX_MAPS && map_slot (n))
    n++;
  if (n == 0 || n == MAX_MAPS)
    fail ("mapper: %d mappings before the refusal", n);
  if (!create ("mapper-full", 0))
    fail ("mapper: create failed");
  await_file ("mapper-go");
  /* At its limit it cannot even touch a page (its record and page
     tables are charged): munmap gives memory back first. */
  for (i = 1; i < n; i++)
    munmap ((char *) (BASE + i * STRIDE));
  if (*(volatile char *) BASE != 'F')
    fail ("mapper: its mapping does not read as the file");
  munmap ((char *) BASE);
  for (i = 0; i < n / 2; i++)
    if (!map_slot (i))
      fail ("mapper: after munmap, mapping %d of %d was refused", i, n / 2);
  exit (0);
}

static void
sibling (int k)
{
  (void) k;
  sibling_steps ("sample.txt", "sibling-done");
}

static void
toucher (const void *arg)
{
  int n;

  (void) arg;
  for (n = 0; n < MAX_MAPS && map_slot (n); n++)
    if (*(volatile char *) (BASE + n * STRIDE) != 'F')
      fail ("toucher: mapping %d does not read as the file", n);
}

void
test_main (void)
{
  pid_t mapper_pid, sibling_pid;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  fork_children ("mapper", 1, mapper, &mapper_pid);
  await_file ("mapper-full");
  msg ("the mapper was refused before user space was full");
  fork_children ("sibling", 1, sibling, &sibling_pid);
  CHECK (wait (sibling_pid) == 0,
         "beside it a sibling faulted, opened and forked: wait returns 0");
  if (!create ("mapper-go", 0))
    fail ("create failed");
  CHECK (wait (mapper_pid) == 0, "after munmap the mapper could map again: wait returns 0");
  check_killed ("toucher", toucher, NULL);
}
