/* userland/data/ladder.txt: LADDER_RUNGS lines of LADDER_LINE bytes each,
   line I being "rung IIII of the ladder\n" (I in 4 digits). */
#ifndef LADDER_H
#define LADDER_H

#include "test.h"

#define LADDER_RUNGS 500
#define LADDER_LINE 24
#define LADDER_SIZE (LADDER_RUNGS * LADDER_LINE)

/* The byte at OFFSET of ladder.txt. */
static char
ladder_byte (unsigned offset)
{
  char line[LADDER_LINE + 1];
  snprintf (line, sizeof line, "rung %04u of the ladder\n",
            offset / LADDER_LINE);
  return line[offset % LADDER_LINE];
}

/* Fails unless the N bytes at BUF are ladder.txt from OFFSET. */
static void
check_ladder (const char *buf, unsigned offset, unsigned n)
{
  unsigned i;
  for (i = 0; i < n; i++)
    if (buf[i] != ladder_byte (offset + i))
      fail ("ladder.txt byte %u is 0x%02x, expected 0x%02x", offset + i,
            (unsigned char) buf[i], (unsigned char) ladder_byte (offset + i));
}

#endif /* LADDER_H */
