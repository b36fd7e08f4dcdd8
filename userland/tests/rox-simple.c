/* rox-simple: a running program cannot write its own executable: write
   returns 0 (bytes written); reading it works. */
#include "test.h"

void
test_main (void)
{
  char buf[4];
  int fd;

  CHECK ((fd = open ("rox-simple")) > 1, "open rox-simple (myself)");
  CHECK (read (fd, buf, 4) == 4 && memcmp (buf, "\177ELF", 4) == 0,
         "read its ELF magic");
  seek (fd, 0);
  CHECK (write (fd, buf, 4) == 0, "writing it back writes 0 bytes");
}
