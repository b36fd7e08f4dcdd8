/* cow-sysread: a system call that writes into a shared page goes through
   the kernel's own alias of the frame, past the read-only mapping, so the
   kernel must unshare the page first.

   1. The parent fills two pages with '.', forks; the child read()s
      sample.txt into a buffer that straddles the two pages.  The child
      then has the file's bytes there (and '.' around them), in frames of
      its own; after wait, the parent's pages are all '.', in the frames
      they had.
   2. The other way round: the parent forks a second child, then read()s
      the file into the shared pages itself and creates the file "go".
      The child, once it sees "go", still finds only '.' in its pages,
      still in the frames the parent had before fork. */
#include "test.h"
#include "sample.h"

#define BEFORE 40               /* buffer bytes before the page boundary */

static char pages[2 * PGSIZE] __attribute__ ((aligned (4096))) = { 1 };

static char *const buf = pages + PGSIZE - BEFORE;

/* Are the two pages all '.' outside [BUF, BUF + N)? */
static bool
dots_around (size_t n)
{
  size_t i;

  for (i = 0; i < sizeof pages; i++)
    if ((pages + i < buf || pages + i >= buf + n) && pages[i] != '.')
      return false;
  return true;
}

/* Reads sample.txt into BUF. */
static bool
read_sample (void)
{
  int fd = open ("sample.txt");
  bool ok = fd > 1 && read (fd, buf, SAMPLE_SIZE) == (int) SAMPLE_SIZE;

  close (fd);
  return ok;
}

void
test_main (void)
{
  uintptr_t f0, f1;
  pid_t pid;

  memset (pages, '.', sizeof pages);
  f0 = frame_of (pages);
  f1 = frame_of (pages + PGSIZE);
  CHECK (f0 != 0 && f1 != 0, "parent: filled two pages with dots");

  pid = fork ("reader");
  if (pid == 0)
    {
      CHECK (frame_of (pages) == f0 && frame_of (pages + PGSIZE) == f1,
             "reader: shares both pages with the parent");
      CHECK (read_sample (), "reader: read sample.txt across the two pages");
      CHECK (!memcmp (buf, sample, SAMPLE_SIZE) && dots_around (SAMPLE_SIZE),
             "reader: its pages hold the file's bytes among the dots");
      CHECK (frame_of (pages) != f0 && frame_of (pages) != 0
             && frame_of (pages + PGSIZE) != f1
             && frame_of (pages + PGSIZE) != 0,
             "reader: both pages are now in frames of its own");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (dots_around (0), "parent: its pages are all dots");
  CHECK (frame_of (pages) == f0 && frame_of (pages + PGSIZE) == f1,
         "parent: in the frames they had");

  pid = fork ("watcher");
  if (pid == 0)
    {
      await_file ("go");
      CHECK (dots_around (0),
             "watcher: after the parent's read its pages are all dots");
      CHECK (frame_of (pages) == f0 && frame_of (pages + PGSIZE) == f1,
             "watcher: in the frames the parent had before fork");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  /* Nothing printed until wait: the watcher's lines come first. */
  if (!read_sample ())
    fail ("parent: read sample.txt");
  if (!create ("go", 0))
    fail ("create go");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (!memcmp (buf, sample, SAMPLE_SIZE) && dots_around (SAMPLE_SIZE),
         "parent: its pages hold the file's bytes among the dots");
}
