/* vm-mm-running: a file cannot be both a running program and mapped
   writable.  A writable mapping of a running program could never be
   written back (writes to it are denied while it runs), so its dirty
   pages could never leave memory; the kernel refuses the pair instead,
   whichever comes second: mmap of a running program asks for a read-only
   mapping, and exec of a program mapped writable fails.  A process may
   exec a program that it alone maps writable: its old image, the mapping
   with it, goes first. */
#include "test.h"

#define A ((volatile unsigned char *) 0x10000000)

static void
map_then_exec (int k)
{
  int fd = open ("child-simple");

  (void) k;
  if (fd < 2 || mmap ((void *) A, 4096, 1, fd, 0) != (void *) A)
    fail ("mapper: map child-simple writable");
  exec ("child-simple");
}

void
test_main (void)
{
  int fd;
  pid_t pid;

  CHECK ((fd = open ("vm-mm-running")) > 1,
         "open vm-mm-running, the running program");
  CHECK (mmap ((void *) A, 16 * 4096, 1, fd, 0) == NULL,
         "mmap it writable: refused");
  CHECK (mmap ((void *) A, 16 * 4096, 0, fd, 0) == (void *) A
         && A[0] == 0x7f && A[1] == 'E' && A[2] == 'L' && A[3] == 'F',
         "mmap it read-only: it reads as an ELF file");
  munmap ((void *) A);
  close (fd);

  CHECK ((fd = open ("child-simple")) > 1
         && mmap ((void *) A, 4096, 1, fd, 0) == (void *) A,
         "mmap child-simple writable");
  CHECK (wait (spawn ("child", "child-simple")) == -1,
         "exec child-simple while mapped writable: the child ends with -1");
  munmap ((void *) A);
  CHECK (wait (spawn ("child", "child-simple")) == 81,
         "munmap, exec child-simple again: it runs, exit status 81");
  fork_children ("mapper", 1, map_then_exec, &pid);
  CHECK (wait (pid) == 81,
         "a child that maps child-simple writable itself, then execs it: 81");
  close (fd);
}
