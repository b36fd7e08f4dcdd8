/* vm-stack-obj: a 64 KiB local array is usable although the stack has not
   grown that far: it is first written at its far end (its lowest address,
   64 KiB below the caller's frame), then every 512th byte, and all read
   back. */
#include "test.h"

#define SIZE 65536

static int __attribute__ ((noinline))
big_object (void)
{
  volatile unsigned char a[SIZE];
  size_t i;
  int good = 0;

  a[0] = 0xa5;
  for (i = 512; i < SIZE; i += 512)
    a[i] = i / 512;
  a[SIZE - 1] = 0x5a;
  if (frame_of ((const void *) a) == 0)
    return -1;
  for (i = 512; i < SIZE; i += 512)
    good += a[i] == (unsigned char) (i / 512);
  return good + (a[0] == 0xa5) + (a[SIZE - 1] == 0x5a);
}

void
test_main (void)
{
  CHECK (big_object () == SIZE / 512 + 1,
         "a 64 KiB local array, written from its far end, reads back");
}
