/* read-large: reads of a 12000-byte file in uneven pieces that cross
   4 KiB block boundaries return the right bytes; so does a read after a
   seek to just before a block boundary. */
#include "test.h"
#include "ladder.h"

static char buf[5000];

void
test_main (void)
{
  static const unsigned pieces[] = { 1, 999, 3100, 4096, 3804 };
  unsigned offset = 0, i;
  int fd, n;

  CHECK ((fd = open ("ladder.txt")) > 1, "open ladder.txt");
  CHECK (filesize (fd) == LADDER_SIZE, "filesize is 12000");
  for (i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
    {
      n = read (fd, buf, pieces[i]);
      if (n != (int) pieces[i])
        fail ("read of %u bytes at %u returned %d", pieces[i], offset, n);
      check_ladder (buf, offset, n);
      offset += n;
    }
  msg ("read all 12000 bytes in five pieces");
  CHECK (read (fd, buf, 100) == 0, "read at end of file returns 0");
  seek (fd, 4090);
  CHECK (read (fd, buf, 20) == 20, "read 20 bytes at offset 4090");
  check_ladder (buf, 4090, 20);
  msg ("the bytes across the block boundary are right");
  seek (fd, 11990);
  CHECK (read (fd, buf, 100) == 10, "read 100 bytes at offset 11990 returns 10");
  check_ladder (buf, 11990, 10);
}
