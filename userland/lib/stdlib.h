/* Folio user library: number conversion and small helpers. */
#ifndef FOLIO_USER_STDLIB_H
#define FOLIO_USER_STDLIB_H

#include <stddef.h>

int atoi (const char *s);
long strtol (const char *s, char **end, int base);
int abs (int x);

#endif /* FOLIO_USER_STDLIB_H */
