/* Folio user library: memory and string functions, written plainly (the
   compiler may call memcpy/memset/memmove/memcmp itself, so they must
   exist and must not call themselves). */
#include "string.h"

void *
memcpy (void *dst, const void *src, size_t n)
{
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n-- > 0)
    *d++ = *s++;
  return dst;
}

void *
memmove (void *dst, const void *src, size_t n)
{
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s)
    while (n-- > 0)
      *d++ = *s++;
  else if (d > s)
    while (n-- > 0)
      d[n] = s[n];
  return dst;
}

void *
memset (void *dst, int c, size_t n)
{
  unsigned char *d = dst;
  while (n-- > 0)
    *d++ = (unsigned char) c;
  return dst;
}

int
memcmp (const void *a, const void *b, size_t n)
{
  const unsigned char *x = a, *y = b;
  for (; n > 0; n--, x++, y++)
    if (*x != *y)
      return *x < *y ? -1 : 1;
  return 0;
}

void *
memchr (const void *s, int c, size_t n)
{
  const unsigned char *p = s;
  for (; n > 0; n--, p++)
    if (*p == (unsigned char) c)
      return (void *) p;
  return NULL;
}

size_t
strlen (const char *s)
{
  const char *p = s;
  while (*p != '\0')
    p++;
  return p - s;
}

size_t
strnlen (const char *s, size_t max)
{
  size_t n = 0;
  while (n < max && s[n] != '\0')
    n++;
  return n;
}

int
strcmp (const char *a, const char *b)
{
  const unsigned char *x = (const unsigned char *) a;
  const unsigned char *y = (const unsigned char *) b;
  while (*x != '\0' && *x == *y)
    x++, y++;
  return *x < *y ? -1 : *x > *y;
}

int
strncmp (const char *a, const char *b, size_t n)
{
  const unsigned char *x = (const unsigned char *) a;
  const unsigned char *y = (const unsigned char *) b;
  for (; n > 0; n--, x++, y++)
    {
      if (*x != *y)
        return *x < *y ? -1 : 1;
      if (*x == '\0')
        break;
    }
  return 0;
}

char *
strchr (const char *s, int c)
{
  for (;; s++)
    {
      if (*s == (char) c)
        return (char *) s;
      if (*s == '\0')
        return NULL;
    }
}

char *
strrchr (const char *s, int c)
{
  const char *last = NULL;
  for (;; s++)
    {
      if (*s == (char) c)
        last = s;
      if (*s == '\0')
        return (char *) last;
    }
}

char *
strstr (const char *haystack, const char *needle)
{
  size_t n = strlen (needle);
  if (n == 0)
    return (char *) haystack;
  for (; *haystack != '\0'; haystack++)
    if (strncmp (haystack, needle, n) == 0)
      return (char *) haystack;
  return NULL;
}

size_t
strlcpy (char *dst, const char *src, size_t size)
{
  size_t len = strlen (src);
  if (size > 0)
    {
      size_t n = len < size - 1 ? len : size - 1;
      memcpy (dst, src, n);
      dst[n] = '\0';
    }
  return len;
}

size_t
strlcat (char *dst, const char *src, size_t size)
{
  size_t used = strnlen (dst, size);
  if (used == size)
    return size + strlen (src);
  return used + strlcpy (dst + used, src, size - used);
}

/* Splits S at any of DELIMITERS; SAVE keeps the place between calls
   (pass S = NULL to continue).  Runs of delimiters count as one. */
char *
strtok_r (char *s, const char *delimiters, char **save)
{
  char *token;

  if (s == NULL)
    s = *save;
  while (*s != '\0' && strchr (delimiters, *s) != NULL)
    s++;
  if (*s == '\0')
    {
      *save = s;
      return NULL;
    }
  token = s;
  while (*s != '\0' && strchr (delimiters, *s) == NULL)
    s++;
  if (*s != '\0')
    *s++ = '\0';
  *save = s;
  return token;
}
