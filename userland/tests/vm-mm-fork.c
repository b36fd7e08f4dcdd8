/* vm-mm-fork: a forked child gets its own copy of the parent's mapping as
   it stood: it sees what the parent wrote before fork, a page the parent
   never touched is still not loaded in the child and reads from the file,
   the child's writes are not seen by the parent, and the child's munmap
   leaves the parent's mapping working.  At the parent's munmap its dirty
   page goes to the file last (fetched after the run). */
#include "test.h"

#define A ((char *) 0x10000000)
#define SIZE 65536

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

void
test_main (void)
{
  volatile unsigned char *u = (volatile unsigned char *) A;
  char buf[20];
  pid_t pid;
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  CHECK (mmap (A, SIZE, 1, fd, 0) == A, "mmap 64 KiB writable");
  memcpy (A, "parent, before fork", 19);
  CHECK (u[PGSIZE] == pattern (PGSIZE),
         "wrote into page 0, read page 1, left page 2 alone");
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (!memcmp (A, "parent, before fork", 19),
             "child: sees what the parent wrote");
      CHECK (frame_of (A + 2 * PGSIZE) == 0,
             "child: page 2 is not loaded");
      CHECK (u[2 * PGSIZE + 5] == pattern (2 * PGSIZE + 5),
             "child: page 2 reads as in the file");
      memcpy (A, "child's own data!!!", 19);
      CHECK (!memcmp (A, "child's own data!!!", 19),
             "child: wrote into page 0");
      munmap (A);
      msg ("child: munmap");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (!memcmp (A, "parent, before fork", 19),
         "parent: page 0 is as it left it");
  CHECK (u[3 * PGSIZE + 9] == pattern (3 * PGSIZE + 9),
         "parent: page 3 loads from the file");
  munmap (A);
  seek (fd, 0);
  CHECK (read (fd, buf, 19) == 19 && !memcmp (buf, "parent, before fork", 19),
         "parent: after munmap the file starts with its bytes");
}
