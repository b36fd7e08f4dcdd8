/* elf-layout: the loader maps every part of the image right: a 3-page
   initialized .data array, .rodata, a 10-page .bss, and the bytes from
   the end of .data (_edata) to the end of that page, which belong to
   .bss: the loader must zero them, not fill them with whatever follows
   .data in the file (debugging sections).  That last check runs first
   thing in main, before the library writes any .bss variable (other than
   __entry_rsp, which _start sets and which is skipped). */
#include "test.h"

#define DATA_WORDS (3 * PGSIZE / 4)
#define WORD(I) ((unsigned) (I) * 2654435761u)

/* Initialized in the file (the initializer is built by hand so that the
   file holds the pattern rather than zeros). */
#define W4(I) WORD (I), WORD (I + 1), WORD (I + 2), WORD (I + 3)
#define W16(I) W4 (I), W4 (I + 4), W4 (I + 8), W4 (I + 12)
#define W64(I) W16 (I), W16 (I + 16), W16 (I + 32), W16 (I + 48)
#define W256(I) W64 (I), W64 (I + 64), W64 (I + 128), W64 (I + 192)
static unsigned data[DATA_WORDS] = {
  W256 (0), W256 (256), W256 (512), W256 (768), W256 (1024), W256 (1280),
  W256 (1536), W256 (1792), W256 (2048), W256 (2304), W256 (2560),
  W256 (2816)
};
static const char rodata[] = "read-only data survived the load";
static unsigned char bss[10 * PGSIZE];

extern char _edata[];

/* Returns the offset of the first non-zero byte between _edata and the
   end of its page (skipping __entry_rsp), or -1 if they are all zero. */
static long
first_dirty_tail_byte (void)
{
  const unsigned char *p = (const unsigned char *) _edata;
  const unsigned char *end = (const unsigned char *) pg_round_up (_edata);
  const unsigned char *skip = (const unsigned char *) &__entry_rsp;

  for (; p < end; p++)
    if (*p != 0 && !(p >= skip && p < skip + sizeof __entry_rsp))
      return p - (const unsigned char *) _edata;
  return -1;
}

int
main (void)
{
  long dirty = first_dirty_tail_byte ();
  size_t i;

  msg ("begin");
  if (dirty >= 0)
    fail ("byte %ld after _edata (in .data's last page) is not zero", dirty);
  msg ("the rest of .data's last page is zero");
  for (i = 0; i < DATA_WORDS; i++)
    if (data[i] != WORD (i))
      fail ("data word %zu is %#x, expected %#x", i, data[i], WORD (i));
  msg ("3 pages of .data hold their initial values");
  CHECK (strcmp (rodata, "read-only data survived the load") == 0,
         ".rodata string intact");
  for (i = 0; i < sizeof bss; i++)
    if (bss[i] != 0)
      fail ("bss byte %zu is %d", i, bss[i]);
  msg ("10 pages of .bss are zero");
  bss[sizeof bss - 1] = 1;
  data[0] = 0;
  msg ("both can be written");
  msg ("end");
  return 0;
}
