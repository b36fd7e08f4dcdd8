/* Folio user library: number conversion. */
#include "stdlib.h"
#include <stdbool.h>

static bool
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

static int
digit_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

/* Converts the number at the start of S (after blanks, with an optional
   sign; base 0 means decimal, 0x-hex or 0-octal by prefix).  No overflow
   check. */
long
strtol (const char *s, char **end, int base)
{
  bool negative = false;
  unsigned long value = 0;
  const char *start;

  while (is_space (*s))
    s++;
  if (*s == '+' || *s == '-')
    negative = *s++ == '-';
  if ((base == 0 || base == 16) && s[0] == '0'
      && (s[1] == 'x' || s[1] == 'X') && digit_value (s[2]) < 16)
    {
      s += 2;
      base = 16;
    }
  else if (base == 0)
    base = s[0] == '0' ? 8 : 10;

  start = s;
  for (; digit_value (*s) < base; s++)
    value = value * base + digit_value (*s);
  if (end != NULL)
    *end = (char *) (s == start ? start : s);
  return negative ? -(long) value : (long) value;
}

int
atoi (const char *s)
{
  return (int) strtol (s, NULL, 10);
}

int
abs (int x)
{
  return x < 0 ? -x : x;
}
