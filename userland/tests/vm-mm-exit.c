/* vm-mm-exit: dirty mapped pages are written back when the process exits
   without munmap.  A child maps vm-data-64k, writes three labels and
   exits; the parent then reads them from the file.  The parent itself
   maps vm-data-5000, writes into it and exits without munmap; both files
   are fetched after the run. */
#include "test.h"

#define A ((char *) 0x10000000)
#define B ((char *) 0x20000000)

static const size_t where[3] = { 0, 7 * 4096 + 5, 15 * 4096 + 4080 };

void
test_main (void)
{
  char buf[16];
  pid_t pid;
  int fd, i;

  pid = fork ("child");
  if (pid == 0)
    {
      CHECK ((fd = open ("vm-data-64k")) > 1, "child: open vm-data-64k");
      CHECK (mmap (A, 65536, 1, fd, 0) == A, "child: mmap it writable");
      for (i = 0; i < 3; i++)
        memcpy (A + where[i], "child wrote this", 16);
      msg ("child: wrote 3 labels, exiting without munmap");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  for (i = 0; i < 3; i++)
    {
      seek (fd, where[i]);
      if (read (fd, buf, 16) != 16 || memcmp (buf, "child wrote this", 16))
        fail ("label %d (offset %zu) is not in the file", i, where[i]);
    }
  msg ("the child's 3 labels are in the file");
  close (fd);

  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (B, 5000, 1, fd, 0) == B, "mmap it writable");
  memcpy (B + 4990, "parent!!!!", 10);
  memcpy (B + 10, "parent!!!!", 10);
  msg ("wrote 2 labels, exiting without munmap");
}
