/* vm-stack-deep: the stack grows on demand for deep recursion: 500 nested
   calls, each with a 1 KiB frame written at both ends, take the stack
   more than 500 KiB down; every frame keeps its bytes, and a second
   descent over the grown stack works too. */
#include "test.h"

#define DEPTH 500

static uintptr_t deepest;

static int __attribute__ ((noinline))
dive (int depth)
{
  volatile unsigned char frame[1024];
  int below;

  frame[0] = depth * 7;
  frame[1023] = depth * 13;
  if (depth == 0)
    {
      deepest = (uintptr_t) frame;
      return 0;
    }
  below = dive (depth - 1);
  return below + (frame[0] == (unsigned char) (depth * 7))
         + (frame[1023] == (unsigned char) (depth * 13));
}

void
test_main (void)
{
  CHECK (dive (DEPTH) == 2 * DEPTH, "500 frames of 1 KiB kept their bytes");
  CHECK (USER_STACK - deepest > 500 * 1024,
         "the deepest frame lies more than 500 KiB below the stack top");
  CHECK (frame_of ((void *) deepest) != 0, "its page has a frame");
  CHECK (dive (DEPTH) == 2 * DEPTH, "a second descent works too");
}
