/* rw-zero-ptr: a buffer of 0 bytes names no memory, so read() and write()
   do not check its pointer (docs/abi.md, "Pointers"; issue 9, finding 6):
   NULL, an unmapped address, a kernel address and a non-canonical one
   all return 0 for an open descriptor, kill nobody and move nothing.  A
   descriptor that is not open still returns -1.  The same pointers with
   1 byte kill the caller, each in a child. */
#include "test.h"

static const struct
{
  const char *name;
  uintptr_t ptr;
} ptrs[] = {
  { "NULL", 0 },
  { "unmapped", UNMAPPED_USER },
  { "kernel", 0xffff800000000000UL },
  { "non-canonical", 0x8000000000000000UL },
};
#define N_PTRS (sizeof ptrs / sizeof ptrs[0])

void
test_main (void)
{
  size_t i;
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  for (i = 0; i < N_PTRS; i++)
    {
      void *p = (void *) ptrs[i].ptr;
      CHECK (read (fd, p, 0) == 0, "read (file, %s, 0) returns 0", ptrs[i].name);
      CHECK (write (fd, p, 0) == 0, "write (file, %s, 0) returns 0",
             ptrs[i].name);
      CHECK (write (STDOUT_FILENO, p, 0) == 0,
             "write (stdout, %s, 0) returns 0", ptrs[i].name);
      CHECK (read (STDIN_FILENO, p, 0) == 0, "read (stdin, %s, 0) returns 0",
             ptrs[i].name);
      CHECK (read (77, p, 0) == -1, "read (77, %s, 0) returns -1",
             ptrs[i].name);
    }
  CHECK (tell (fd) == 0, "the file position is still 0");
  CHECK (filesize (fd) == 248, "the file is still 248 bytes long");
  for (i = 0; i < N_PTRS; i++)
    {
      pid_t pid = fork (ptrs[i].name);
      if (pid == 0)
        {
          write (STDOUT_FILENO, (void *) ptrs[i].ptr, 1);
          fail ("write (stdout, %s, 1) returned", ptrs[i].name);
        }
      CHECK (wait (pid) == -1, "write (stdout, %s, 1) kills", ptrs[i].name);
    }
}
