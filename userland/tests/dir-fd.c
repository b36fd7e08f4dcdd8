/* dir-fd: a descriptor of a directory is accepted by readdir, isdir,
   inumber and close, refused by read, write, filesize and mmap; readdir on
   a file's descriptor and on a closed one fails. */
#include "test.h"

void
test_main (void)
{
  char buf[16];
  char name[READDIR_MAX_LEN + 1];
  int d, f;

  CHECK (mkdir ("d"), "mkdir d");
  CHECK (create ("d/x", 0), "create d/x");
  CHECK ((d = open ("d")) > 1, "open d");
  CHECK (read (d, buf, sizeof buf) == -1, "read of a directory: -1");
  CHECK (write (d, "hi", 2) == -1, "write to a directory: -1");
  CHECK (filesize (d) == -1, "filesize of a directory: -1");
  CHECK (mmap ((void *) 0x10000000, 4096, 0, d, 0) == MAP_FAILED,
         "mmap of a directory fails");
  CHECK (readdir (d, name) && strcmp (name, "x") == 0, "readdir: x");
  CHECK (!readdir (d, name), "then the end");
  CHECK (!readdir (d, name), "and the end again");
  seek (d, 0);
  CHECK (readdir (d, name) && strcmp (name, "x") == 0, "seek 0 starts over");
  CHECK ((f = open ("d/x")) > 1, "open d/x");
  CHECK (!readdir (f, name), "readdir on a file fails");
  CHECK (inumber (f) > 0, "inumber of a file");
  CHECK (inumber (d) > 0, "inumber of a directory");
  CHECK (inumber (0) == -1 && inumber (1) == -1, "inumber of the console: -1");
  CHECK (!isdir (0) && !isdir (77), "isdir of the console and a closed fd");
  CHECK (!readdir (77, name), "readdir of a closed fd");
  CHECK (inumber (77) == -1, "inumber of a closed fd");
  int dup = dup2 (d, 20);
  CHECK (dup == 20 && isdir (20), "dup2 of a directory descriptor");
  close (d);
  CHECK (!isdir (d), "closed");
  CHECK (isdir (20), "the duplicate still names it");
  int r = open ("/");
  CHECK (r > 1 && isdir (r), "open / gives a directory");
  CHECK (!remove ("/") && !remove (".") && !remove ("..") && !remove ("d/."),
         "remove of /, ., .. and d/. fails");
}
