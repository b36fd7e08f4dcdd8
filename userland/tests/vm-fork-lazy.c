/* vm-fork-lazy: pages the parent never touched stay lazy in a forked
   child (int $0x42 reports 0 for an untouched .bss page and an untouched
   .data page in the child) and load there as they should (zeros; the
   byte the program was built with); a page the parent wrote holds the
   parent's byte in the child, and once the child writes it, it is in a
   frame of the child's own and the parent still sees its byte; the
   child's first touch of a page does not load it in the parent. */
#include "test.h"

#define P 4096

static char bss[4 * P] __attribute__ ((aligned (4096)));
static unsigned char data[4 * P] __attribute__ ((aligned (4096))) = {
  [2 * P + 3] = 33,
};
static uintptr_t parent_frame;

void
test_main (void)
{
  volatile char *b = bss;
  volatile unsigned char *d = data;
  pid_t pid;

  b[0] = 'p';
  parent_frame = frame_of (bss);
  CHECK (parent_frame != 0 && frame_of (bss + P) == 0
         && frame_of (data + 2 * P) == 0,
         "parent: wrote .bss page 0, left .bss page 1 and .data page 2 alone");
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (frame_of (bss + P) == 0,
             "child: the untouched .bss page has no frame");
      CHECK (frame_of (data + 2 * P) == 0,
             "child: the untouched .data page has no frame");
      CHECK (d[2 * P + 3] == 33 && b[P + 9] == 0,
             "child: they read as built (33) and as zeros");
      CHECK (b[0] == 'p', "child: .bss page 0 holds the parent's byte");
      b[0] = 'c';
      CHECK (frame_of (bss) != 0 && frame_of (bss) != parent_frame,
             "child: having written it, it has a frame of its own");
      b[P] = 'c';
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (frame_of (bss + P) == 0 && frame_of (data + 2 * P) == 0,
         "parent: .bss page 1 and .data page 2 still have no frame");
  CHECK (b[P] == 0 && d[2 * P + 3] == 33,
         "parent: they read as zeros and as built");
  CHECK (b[0] == 'p', "parent: .bss page 0 still holds its own byte");
}
