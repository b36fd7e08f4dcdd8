/* ld-sep / ld-nosep: the same program linked with GNU ld's default static
   layout instead of user.ld, once with -z separate-code and once with
   -z noseparate-code.  In both the first PT_LOAD maps the ELF header
   (checked at build time by elftool.py); the loader must accept them.
   Uses .text, .rodata, .data and .bss and checks they were loaded. */
#include "test.h"

static const char greeting[] = "loaded by the default layout";
static int counter = 41;
static char zeroes[5000];

void
test_main (void)
{
  size_t i;

  CHECK (strcmp (greeting, "loaded by the default layout") == 0,
         "rodata: %s", greeting);
  counter++;
  CHECK (counter == 42, "data: counter is %d", counter);
  for (i = 0; i < sizeof zeroes; i++)
    if (zeroes[i] != 0)
      fail ("bss byte %zu is %d", i, zeroes[i]);
  zeroes[4999] = 1;
  msg ("bss: zero-filled");
}
