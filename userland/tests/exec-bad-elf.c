/* exec-bad-elf: exec of a malformed executable (see userland/elftool.py:
   bad magic, 32-bit class, i386 machine, ET_REL type, truncated file,
   program headers past the end, a segment past the end, p_memsz <
   p_filesz, a segment in kernel space, one crossing into it, one at page
   0) ends
   the caller with -1, and prints no "load:" line (the file exists). */
#include "test.h"

void
test_main (void)
{
  static const char *bad[] = { "bad-elf-magic", "bad-elf-class",
                               "bad-elf-mach", "bad-elf-type",
                               "bad-elf-trunc", "bad-elf-phoff",
                               "bad-elf-phsz", "bad-elf-memsz",
                               "bad-elf-kaddr", "bad-elf-kspan",
                               "bad-elf-page0" };
  unsigned i;

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK (wait (spawn (bad[i], bad[i])) == -1, "%s: wait returns -1", bad[i]);
  CHECK (wait (spawn ("good", "child-simple")) == 81,
         "the good original still runs");
}
