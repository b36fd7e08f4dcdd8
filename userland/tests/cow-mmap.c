/* cow-mmap: pages of a private file mapping across a copy-on-write fork.
   The parent maps vm-data-64k writable and writes a label into pages 0
   and 1, then forks.  The child sees those labels, in the parent's frames
   (which of the two gets a copy of page 0 when both write it depends on
   who writes first, so that is not checked).  The child writes into page
   0 and into page 2 (never loaded before), then waits for the file "go",
   which the parent creates after writing into page 0 and page 3: the
   child sees neither write (page 3 loads from the file, to which the
   parent has written nothing back yet).  The child munmaps, writing its
   dirty pages 0, 1 and 2 back, and exits.  After wait the parent sees only
   its own writes, and its page 1 is still in the frame it had.  Then it
   munmaps, writing back pages 0, 1 and 3 (not 2, which it never loaded),
   last.  So the file ends up with the parent's pages 0, 1 and 3 and the
   child's page 2; the parent reads it back and the harness fetches it. */
#include "test.h"

#define A ((char *) 0x10000000)
#define SIZE 65536

static char back[SIZE];

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

/* Is [P, P + N) still as in the file at offset OFS? */
static bool
is_original (const char *p, size_t ofs, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if ((unsigned char) p[i] != pattern (ofs + i))
      return false;
  return true;
}

static const char pre[] = "parent, before fork";     /* 19 bytes */
static const char post[] = "parent, after fork";     /* 18 bytes */
static const char kid[] = "child, after fork";       /* 17 bytes */

/* Where each label goes. */
#define PRE0 0
#define PRE1 PGSIZE
#define KID0 100
#define KID2 (2 * PGSIZE)
#define POST0 200
#define POST3 (3 * PGSIZE)

/* Byte I of the file after both munmaps. */
static unsigned char
expected (size_t i)
{
  static const struct { size_t at; const char *s; size_t n; } labels[] = {
    { PRE0, pre, sizeof pre - 1 }, { PRE1, pre, sizeof pre - 1 },
    { KID2, kid, sizeof kid - 1 }, { POST0, post, sizeof post - 1 },
    { POST3, post, sizeof post - 1 },
  };
  size_t k;

  for (k = 0; k < sizeof labels / sizeof *labels; k++)
    if (i >= labels[k].at && i < labels[k].at + labels[k].n)
      return labels[k].s[i - labels[k].at];
  return pattern (i);
}

void
test_main (void)
{
  uintptr_t pf0, pf1;
  pid_t pid;
  size_t i;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, SIZE, 1, fd, 0) == A, "mmap 64 KiB writable");
  memcpy (A + PRE0, pre, sizeof pre - 1);
  memcpy (A + PRE1, pre, sizeof pre - 1);
  pf0 = frame_of (A);
  pf1 = frame_of (A + PGSIZE);
  CHECK (pf0 != 0 && pf1 != 0 && frame_of (A + 2 * PGSIZE) == 0
         && frame_of (A + 3 * PGSIZE) == 0,
         "wrote into pages 0 and 1; pages 2 and 3 are not loaded");

  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (!memcmp (A + PRE0, pre, sizeof pre - 1)
             && !memcmp (A + PRE1, pre, sizeof pre - 1),
             "child: sees what the parent wrote before fork");
      CHECK (frame_of (A) == pf0 && frame_of (A + PGSIZE) == pf1,
             "child: pages 0 and 1 are in the parent's frames");
      memcpy (A + KID0, kid, sizeof kid - 1);
      memcpy (A + KID2, kid, sizeof kid - 1);
      CHECK (!memcmp (A + KID0, kid, sizeof kid - 1)
             && !memcmp (A + KID2, kid, sizeof kid - 1)
             && !memcmp (A + PRE0, pre, sizeof pre - 1),
             "child: wrote into pages 0 and 2");
      await_file ("go");
      CHECK (is_original (A + POST0, POST0, sizeof post - 1)
             && is_original (A + POST3, POST3, sizeof post - 1),
             "child: the parent's writes after fork are not visible");
      munmap (A);
      msg ("child: munmap");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");

  /* Nothing printed until wait: the child's lines come first. */
  memcpy (A + POST0, post, sizeof post - 1);
  memcpy (A + POST3, post, sizeof post - 1);
  if (!create ("go", 0))
    fail ("create go");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (!memcmp (A + PRE0, pre, sizeof pre - 1)
         && !memcmp (A + POST0, post, sizeof post - 1)
         && is_original (A + KID0, KID0, sizeof kid - 1)
         && !memcmp (A + PRE1, pre, sizeof pre - 1)
         && !memcmp (A + POST3, post, sizeof post - 1),
         "parent: sees its own writes and not the child's");
  CHECK (frame_of (A + PGSIZE) == pf1,
         "parent: page 1 is still in the frame it had before fork");
  munmap (A);
  seek (fd, 0);
  CHECK (read (fd, back, SIZE) == SIZE, "parent: munmap; read the file");
  for (i = 0; i < SIZE; i++)
    if ((unsigned char) back[i] != expected (i))
      fail ("file byte %zu is 0x%02x, expected 0x%02x", i,
            (unsigned char) back[i], expected (i));
  msg ("parent: the file has its pages 0, 1, 3 and the child's page 2");
  close (fd);
}
