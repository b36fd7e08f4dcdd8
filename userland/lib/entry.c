/* Folio user library: what _start (start.S) calls.  The kernel enters
   _start with rdi = argc, rsi = argv; start.S records the stack pointer,
   realigns the stack and calls __folio_start with those two untouched. */
#include "test.h"

int main (int argc, char *argv[]);
void __folio_start (int argc, char *argv[]) __attribute__ ((noreturn));

uintptr_t __entry_rsp;

void
__folio_start (int argc, char *argv[])
{
  if (argc > 0 && argv[0] != NULL)
    test_name = argv[0];
  exit (main (argc, argv));
}
