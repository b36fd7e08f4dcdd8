/* cow-exec: read-only pages of one executable are shared between the
   processes that run it, across exec.  The parent notes the frames of a
   function (code), of a string (.rodata) and of a .data page it has
   written, then forks a child that execs this same program with those
   three frame addresses as arguments.  In the new image, once the child
   has touched the same function and string, int $0x42 reports the
   parent's frames for both (found already loaded: code_shares > 0),
   while its .data page holds the value from the file in a frame that is
   not the parent's (writable pages are never shared that way).  After
   wait, the parent's three pages are still in their frames, the .data
   page with the parent's value: the child's exec dropped its references
   to the pages it shared after fork without disturbing the parent's. */
#include "test.h"

static const char text[] = "code and read-only data are shared";
static volatile int data[PGSIZE / sizeof (int)]
  __attribute__ ((aligned (4096))) = { 17 };

static int __attribute__ ((noinline))
answer (int x)
{
  return x * 6 + 4;
}

static uintptr_t
parse (const char *s)
{
  return (uintptr_t) strtol (s, NULL, 16);
}

/* The exec'd child: ARGV[1..3] are the parent's frames of answer, text
   and data. */
static int
child (char *argv[])
{
  CHECK (answer (6) == 40 && text[0] == 'c' && data[0] == 17,
         "child: runs, with the .data value from the file");
  CHECK (frame_of ((const void *) answer) == parse (argv[1]),
         "child: its code page is in the parent's frame");
  CHECK (frame_of (text) == parse (argv[2]),
         "child: its read-only data page is in the parent's frame");
  CHECK (frame_of ((const void *) data) != 0
         && frame_of ((const void *) data) != parse (argv[3]),
         "child: its .data page is in a frame of its own");
  return 0;
}

int
main (int argc, char *argv[])
{
  uintptr_t cf, rf, df;
  char cmd[96];
  pid_t pid;

  if (argc == 4)
    return child (argv);
  msg ("begin");
  data[0] = 99;
  CHECK (answer (1) == 10 && text[0] == 'c' && data[0] == 99,
         "parent: touched its code, string and .data page");
  cf = frame_of ((const void *) answer);
  rf = frame_of (text);
  df = frame_of ((const void *) data);
  CHECK (cf != 0 && rf != 0 && df != 0, "parent: all three have frames");
  snprintf (cmd, sizeof cmd, "cow-exec %lx %lx %lx", (unsigned long) cf,
            (unsigned long) rf, (unsigned long) df);
  pid = spawn ("child", cmd);
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (frame_of ((const void *) answer) == cf && frame_of (text) == rf
         && frame_of ((const void *) data) == df && data[0] == 99,
         "parent: its pages are in the same frames, its .data value intact");
  msg ("end");
  return 0;
}
