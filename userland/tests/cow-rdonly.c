/* cow-rdonly: pages that were read-only before fork stay read-only after
   it and are never copied.  The parent touches a function in .text and a
   string in .rodata and notes their frames.  Three children, forked one
   after the other, check that they see both pages in the parent's frames
   and then try to change them: writing into the code, writing into the
   string, and read()ing a file into the string (the kernel must refuse a
   read-only buffer).  Each is killed (-1).  Afterwards the parent's code
   still runs and its string is intact, in the frames it had. */
#include "test.h"

static const char text[] = "read-only data: shared, never copied";

static int __attribute__ ((noinline))
answer (int x)
{
  return x * 6 + 4;
}

/* Launders a pointer so the compiler cannot see where it points. */
static volatile char *
launder (const volatile void *p)
{
  volatile char *q = (volatile char *) p;
  __asm__ volatile ("" : "+r" (q));
  return q;
}

static uintptr_t code_frame, text_frame;

static void
check_shared (const char *self)
{
  CHECK (frame_of ((const void *) answer) == code_frame
         && frame_of (text) == text_frame,
         "%s: code and read-only data are in the parent's frames", self);
}

void
test_main (void)
{
  pid_t pid;
  int fd;

  CHECK (answer (6) == 40 && text[0] == 'r', "parent: code and string work");
  code_frame = frame_of ((const void *) answer);
  text_frame = frame_of (text);
  CHECK (code_frame != 0 && text_frame != 0 && code_frame != text_frame,
         "parent: both pages have frames");

  pid = fork ("wr-code");
  if (pid == 0)
    {
      check_shared ("wr-code");
      msg ("wr-code: writing into its code");
      *launder ((const void *) answer) = (char) 0xc3;
      fail ("wr-code: the write into code succeeded");
    }
  CHECK (pid > 0 && wait (pid) == -1, "the child that wrote code was killed");

  pid = fork ("wr-ro");
  if (pid == 0)
    {
      check_shared ("wr-ro");
      msg ("wr-ro: writing into read-only data");
      *launder (text) = 'X';
      fail ("wr-ro: the write into read-only data succeeded");
    }
  CHECK (pid > 0 && wait (pid) == -1,
         "the child that wrote read-only data was killed");

  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  pid = fork ("rd-ro");
  if (pid == 0)
    {
      check_shared ("rd-ro");
      msg ("rd-ro: read() into read-only data");
      read (fd, (void *) launder (text), 10);
      fail ("rd-ro: read() into read-only data returned");
    }
  CHECK (pid > 0 && wait (pid) == -1,
         "the child that read into read-only data was killed");

  CHECK (answer (7) == 46 && !strcmp (text, "read-only data: shared, never copied"),
         "parent: its code runs and its string is intact");
  CHECK (frame_of ((const void *) answer) == code_frame
         && frame_of (text) == text_frame,
         "parent: both are still in the same frames");
}
