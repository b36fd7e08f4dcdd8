/* fs-counters: int $0x43 / int $0x44 count the sectors read from and
   written to the file-system disk.  Through the buffer cache, writing a
   new block byte by byte and reading it back moves nothing (the writes
   coalesce until write-back); a cold block costs one read of its 8
   sectors, and reading it again none. */
#include "test.h"

static char buf[4096];

void
test_main (void)
{
  long long r0, w0, r1, w1;
  int fd;

  CHECK (create ("data", 0) && (fd = open ("data")) > 1, "create data");
  r0 = get_fs_disk_read_cnt ();
  w0 = get_fs_disk_write_cnt ();
  CHECK (r0 >= 0 && w0 >= 0, "the counters are not negative");
  for (int i = 0; i < 4096; i++)
    {
      char c = (char) i;
      write (fd, &c, 1);
    }
  seek (fd, 0);
  for (int i = 0; i < 4096; i++)
    {
      char c;
      if (read (fd, &c, 1) != 1 || c != (char) i)
        fail ("byte %d read back wrong", i);
    }
  r1 = get_fs_disk_read_cnt ();
  w1 = get_fs_disk_write_cnt ();
  msg ("4096 one-byte writes and reads: %lld sectors read, %lld written",
       r1 - r0, w1 - w0);
  CHECK (r1 == r0 && w1 == w0, "a hot block moves nothing");
  close (fd);
  fd = open ("/sample.txt");
  r0 = get_fs_disk_read_cnt ();
  read (fd, buf, sizeof buf);
  r1 = get_fs_disk_read_cnt ();
  CHECK (r1 - r0 == 8, "a cold block of sample.txt is 8 sectors");
  seek (fd, 0);
  read (fd, buf, sizeof buf);
  CHECK (get_fs_disk_read_cnt () == r1, "reading it again is no disk read");
}
