/* Folio user library: across_page() (its own archive member, so that
   only the programs that use it carry the two-page buffer). */
#include "test.h"

char *
across_page (const char *s, size_t before)
{
  static char pages[2 * PGSIZE] __attribute__ ((aligned (4096)));
  char *p = pages + PGSIZE - before;
  strlcpy (p, s, pages + sizeof pages - p);
  return p;
}
