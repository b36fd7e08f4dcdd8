/* cow-dirty: a page the parent changed before fork stays changed for the
   parent after the child has broken away from it and the parent's frame
   has been evicted.  At fork the parent's dirty state moves out of its
   (now read-only) mapping; when the child writes, it gets a copy and the
   parent is left the only holder of the original frame.  If that frame
   were then treated as clean, eviction would drop it and the parent would
   reload the executable's or the file's old bytes.

   The parent writes 8 pages of an initialised array (.data) and 4 pages
   of a writable mapping of vm-data-64k, forks, and waits.  The child
   checks that it sees the parent's values, overwrites every one of those
   pages with its own and exits (its exit writes its 4 mapped pages back
   to the file).  The parent, with the user pool capped at 32 frames, then
   sweeps a 96-page .bss array twice, which evicts everything else, and
   checks that its .data pages and its mapped pages still hold its own
   values (the mapped ones written back at eviction and read in again).
   After munmap the file holds the parent's bytes. */
#include "test.h"

#define DATA_PAGES 8
#define MAP_PAGES 4
#define SWEEP_PAGES 96
#define A ((char *) 0x10000000)

static volatile uint32_t data[DATA_PAGES * PGSIZE / 4]
  __attribute__ ((aligned (4096))) = { 1 };
static volatile uint32_t sweep[SWEEP_PAGES * PGSIZE / 4]
  __attribute__ ((aligned (4096)));
static char back[MAP_PAGES * PGSIZE];

enum { PARENT = 1, CHILD = 2 };

static uint32_t
value (int who, size_t i)
{
  return (uint32_t) who * 0x01000193u + (uint32_t) i * 2654435761u;
}

/* Word I of the mapped pages. */
static volatile uint32_t *
mapped (size_t i)
{
  return (volatile uint32_t *) A + i;
}

static void
fill (int who)
{
  size_t i;

  for (i = 0; i < DATA_PAGES * PGSIZE / 4; i++)
    data[i] = value (who, i);
  for (i = 0; i < MAP_PAGES * PGSIZE / 4; i++)
    *mapped (i) = value (who, i + 0x100000);
}

/* Fails unless the .data and mapped pages hold WHO's values. */
static void
check (int who, const char *self)
{
  size_t i;

  for (i = 0; i < DATA_PAGES * PGSIZE / 4; i++)
    if (data[i] != value (who, i))
      fail ("%s: .data word %zu is 0x%08x, expected 0x%08x", self, i,
            data[i], value (who, i));
  for (i = 0; i < MAP_PAGES * PGSIZE / 4; i++)
    if (*mapped (i) != value (who, i + 0x100000))
      fail ("%s: mapped word %zu is 0x%08x, expected 0x%08x", self, i,
            *mapped (i), value (who, i + 0x100000));
}

void
test_main (void)
{
  size_t i;
  int fd, pass;
  pid_t pid;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, 65536, 1, fd, 0) == A, "mmap it writable");
  fill (PARENT);
  msg ("parent: wrote %d .data pages and %d mapped pages", DATA_PAGES,
       MAP_PAGES);

  pid = fork ("child");
  if (pid == 0)
    {
      check (PARENT, "child");
      msg ("child: sees the parent's values");
      fill (CHILD);
      check (CHILD, "child");
      msg ("child: overwrote them all; exiting");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");

  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < SWEEP_PAGES * PGSIZE / 4; i += 256)
      sweep[i] = i + pass;
  msg ("parent: swept %d pages twice", SWEEP_PAGES);
  check (PARENT, "parent");
  msg ("parent: its .data and mapped pages still hold its values");
  munmap (A);
  seek (fd, 0);
  CHECK (read (fd, back, sizeof back) == (int) sizeof back,
         "parent: munmap; read the file back");
  for (i = 0; i < sizeof back / 4; i++)
    if (((uint32_t *) back)[i] != value (PARENT, i + 0x100000))
      fail ("file word %zu is 0x%08x, expected 0x%08x", i,
            ((uint32_t *) back)[i], value (PARENT, i + 0x100000));
  msg ("parent: the file holds its values");
}
