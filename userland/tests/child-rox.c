/* child-rox [FD]: a child program for rox-child: while it runs its own
   executable cannot be written, through a descriptor it opens itself or
   (FD given) through one it inherited from before its exec.  Reading
   still works.  Exits with 0. */
#include "test.h"

int
main (int argc, char *argv[])
{
  char byte;
  int fd;

  CHECK ((fd = open ("child-rox")) > 1, "open child-rox (myself)");
  CHECK (read (fd, &byte, 1) == 1, "read one byte of it");
  seek (fd, 0);
  CHECK (write (fd, &byte, 1) == 0, "writing it back writes 0 bytes");
  if (argc > 1)
    {
      int inherited = atoi (argv[1]);
      seek (inherited, 0);
      CHECK (write (inherited, &byte, 1) == 0,
             "writing through the inherited descriptor writes 0 bytes");
    }
  return 0;
}
