/* sc-unimpl: calls 16-21 (CHDIR, MKDIR, READDIR, ISDIR, INUMBER, SYMLINK)
   exist but fail: the bool ones return false (0), the int ones -1; the
   caller goes on. */
#include "test.h"

void
test_main (void)
{
  char name[16];
  int fd;

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (syscall_raw (SYS_CHDIR, (long) "dir", 0, 0, 0, 0, 0) == 0,
         "chdir returns false");
  CHECK (syscall_raw (SYS_MKDIR, (long) "dir", 0, 0, 0, 0, 0) == 0,
         "mkdir returns false");
  CHECK (syscall_raw (SYS_READDIR, fd, (long) name, 0, 0, 0, 0) == 0,
         "readdir returns false");
  CHECK (syscall_raw (SYS_ISDIR, fd, 0, 0, 0, 0, 0) == 0,
         "isdir returns false");
  CHECK (syscall_raw (SYS_INUMBER, fd, 0, 0, 0, 0, 0) == -1,
         "inumber returns -1");
  CHECK (syscall_raw (SYS_SYMLINK, (long) "sample.txt", (long) "link", 0, 0,
                      0, 0) == -1,
         "symlink returns -1");
  CHECK (open ("dir") == -1 && open ("link") == -1, "nothing was created");
}
