/* user-nx: a program executes only its text.  Jumping to a `ret` written
   in the stack, .data, .bss or a file mapping, or placed in .rodata, must
   be a page fault that kills the program (issue 9: no-execute on every
   page that is not meant to be executed).  Each case runs in a child;
   one that survives says "NAME: not killed". */
#include "test.h"

#define MAP_AT ((unsigned char *) 0x10000000)

static unsigned char data_code[16] = { 0x90, 0xc3 };   /* nop; ret */
static unsigned char bss_code[16];
static const unsigned char rodata_code[16] = { 0x90, 0xc3 };

static void
call (const void *code)
{
  ((void (*) (void)) code) ();
}

static void
from_stack (const void *unused)
{
  volatile unsigned char code[16] = { 0x90, 0xc3 };
  (void) unused;
  call ((const void *) code);
}

static void
from_bss (const void *unused)
{
  (void) unused;
  bss_code[0] = 0xc3;
  call (bss_code);
}

static void
from_address (const void *code)
{
  call (code);
}

void
test_main (void)
{
  int fd;

  CHECK (create ("code-page", PGSIZE), "create code-page");
  CHECK ((fd = open ("code-page")) > 1, "open code-page");
  CHECK (mmap (MAP_AT, PGSIZE, 1, fd, 0) == MAP_AT, "mmap it writable");
  MAP_AT[0] = 0xc3;
  check_killed ("stack", from_stack, NULL);
  check_killed ("data", from_address, data_code);
  check_killed ("bss", from_bss, NULL);
  check_killed ("rodata", from_address, rodata_code);
  check_killed ("mmap", from_address, MAP_AT);
  munmap (MAP_AT);
  close (fd);
}
