/* vm-lazy-code: code pages are read from the program file only when first
   run.  far_function lies past 64 KiB of padding in .text; before it is
   called int $0x42 reports 0 for its page; calling it works (returns 42)
   and gives that page a frame, while the padding never run still has
   none. */
#include "test.h"

__asm__ (".section .text.vm_lazy, \"ax\", @progbits\n"
         ".p2align 12\n"
         "lazy_pad:\n"
         ".fill 65536, 1, 0xcc\n"
         "far_function:\n"
         "  movl $42, %eax\n"
         "  ret\n"
         ".fill 4096, 1, 0xcc\n"
         ".text\n");

int far_function (void);
extern const char lazy_pad[];

void
test_main (void)
{
  CHECK (frame_of ((const void *) far_function) == 0,
         "the page of far_function has no frame");
  CHECK (frame_of (lazy_pad + 8 * PGSIZE) == 0,
         "neither has the padding before it");
  CHECK (far_function () == 42, "calling far_function returns 42");
  CHECK (frame_of ((const void *) far_function) != 0,
         "now its page has a frame");
  CHECK (frame_of (lazy_pad + 8 * PGSIZE) == 0,
         "the padding still has none");
}
