/* vm-stack-sys: a system call may write into stack the process has not
   grown yet: read() fills a 48 KiB local buffer never touched before (a page
   in its middle has no frame until then) with 48 KiB of a file, and every
   byte is right. */
#include "test.h"

#define SIZE 49152

/* Byte I of the vm-data-* files. */
static unsigned char
pattern (size_t i)
{
  return (i * 31 + (i >> 8) * 7 + (i >> 12) * 17) & 0xff;
}

static void __attribute__ ((noinline))
read_into_stack (int fd)
{
  unsigned char buf[SIZE];
  uintptr_t middle;
  size_t i;

  /* The address only, hidden from the compiler, which would otherwise
     warn that frame_of reads the uninitialised buffer. */
  __asm__ ("" : "=r" (middle) : "0" (buf + SIZE / 2));

  CHECK (frame_of ((const void *) middle) == 0,
         "a page in the middle of the buffer has no frame yet");
  CHECK (read (fd, buf, SIZE) == SIZE, "read() 49152 bytes into it");
  for (i = 0; i < SIZE; i++)
    if (buf[i] != pattern (i))
      fail ("byte %zu is 0x%02x, expected 0x%02x", i, buf[i], pattern (i));
  msg ("every byte is right");
}

void
test_main (void)
{
  int fd;

  CHECK ((fd = open ("vm-data-64k")) > 1, "open vm-data-64k");
  read_into_stack (fd);
}
