/* sc-dirnums: calls 16-21 by number, without the library's wrappers, do
   what Pintos-KAIST numbers them for: 16 chdir, 17 mkdir, 18 readdir,
   19 isdir, 20 inumber, 21 symlink (bool results 0 or 1, int ones -1 on
   failure). */
#include "test.h"

void
test_main (void)
{
  char name[16];
  int fd;

  CHECK (syscall_raw (17, (long) "dir", 0, 0, 0, 0, 0) == 1, "17 mkdir dir: 1");
  CHECK (syscall_raw (17, (long) "dir", 0, 0, 0, 0, 0) == 0, "17 mkdir dir again: 0");
  CHECK (syscall_raw (21, (long) "/dir", (long) "dir/self", 0, 0, 0, 0) == 0,
         "21 symlink: 0");
  CHECK (syscall_raw (21, (long) "/dir", (long) "dir/self", 0, 0, 0, 0) == -1,
         "21 symlink again: -1");
  CHECK (syscall_raw (16, (long) "dir", 0, 0, 0, 0, 0) == 1, "16 chdir dir: 1");
  CHECK (syscall_raw (16, (long) "nowhere", 0, 0, 0, 0, 0) == 0, "16 chdir nowhere: 0");
  CHECK ((fd = open (".")) > 1, "open .");
  CHECK (syscall_raw (19, fd, 0, 0, 0, 0, 0) == 1, "19 isdir: 1");
  CHECK (syscall_raw (19, 0, 0, 0, 0, 0, 0) == 0, "19 isdir of fd 0: 0");
  CHECK (syscall_raw (18, fd, (long) name, 0, 0, 0, 0) == 1
         && strcmp (name, "self") == 0, "18 readdir: 1, self");
  CHECK (syscall_raw (18, fd, (long) name, 0, 0, 0, 0) == 0, "18 readdir at the end: 0");
  CHECK (syscall_raw (20, fd, 0, 0, 0, 0, 0) == inumber (fd)
         && inumber (fd) > 0, "20 inumber");
  CHECK (syscall_raw (20, 99, 0, 0, 0, 0, 0) == -1, "20 inumber of a closed fd: -1");
}
