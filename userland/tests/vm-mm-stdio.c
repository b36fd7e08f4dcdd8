/* vm-mm-stdio: mmap of the console descriptors 0 and 1 fails (returns
   NULL); mapping a file descriptor at the same address works. */
#include "test.h"

#define GOOD ((void *) 0x10000000)

void
test_main (void)
{
  int fd;

  CHECK (mmap (GOOD, PGSIZE, 0, STDIN_FILENO, 0) == MAP_FAILED,
         "mmap of fd 0 returns NULL");
  CHECK (mmap (GOOD, PGSIZE, 1, STDOUT_FILENO, 0) == MAP_FAILED,
         "mmap of fd 1 returns NULL");
  CHECK ((fd = open ("vm-data-5000")) > 1, "open vm-data-5000");
  CHECK (mmap (GOOD, PGSIZE, 0, fd, 0) == GOOD, "mmap of the file works");
}
