/* fuzz: the tiny runtime (see rt.h).  Compilers may emit calls to memset
   and memcpy for large assignments; they are defined here so that nothing
   comes from the user library. */
#include "rt.h"

void
rt_exit (int status)
{
  for (;;)
    SYS1 (SYS_EXIT, status);
}

void *
memset (void *dst, int byte, size_t n)
{
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char) byte;
  return dst;
}

void *
memcpy (void *dst, const void *src, size_t n)
{
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

void
rt_fill (void *dst, int byte, size_t n)
{
  memset (dst, byte, n);
}

size_t
rt_strlen (const char *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

bool
rt_streq (const char *a, const char *b)
{
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

long
rt_atol (const char *s)
{
  long v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (*s++ - '0');
  return v;
}

struct out
{
  char buf[512];
  size_t n;
};

static void
put (struct out *o, char c)
{
  if (o->n < sizeof o->buf)
    o->buf[o->n++] = c;
}

static void
put_number (struct out *o, uint64_t v, unsigned base, bool negative)
{
  char digits[24];
  int n = 0;

  if (negative)
    put (o, '-');
  do
    {
      digits[n++] = "0123456789abcdef"[v % base];
      v /= base;
    }
  while (v);
  while (n)
    put (o, digits[--n]);
}

void
rt_print (int fd, const char *fmt, ...)
{
  struct out o;
  va_list ap;

  o.n = 0;
  va_start (ap, fmt);
  for (; *fmt; fmt++)
    {
      bool is_long = false;
      if (*fmt != '%')
        {
          put (&o, *fmt);
          continue;
        }
      if (*++fmt == 'l')
        is_long = true, fmt++;
      switch (*fmt)
        {
        case 'd':
          {
            long v = is_long ? va_arg (ap, long) : va_arg (ap, int);
            put_number (&o, v < 0 ? -(uint64_t) v : (uint64_t) v, 10, v < 0);
            break;
          }
        case 'u':
          put_number (&o, is_long ? va_arg (ap, unsigned long)
                          : va_arg (ap, unsigned), 10, false);
          break;
        case 'x':
          put_number (&o, is_long ? va_arg (ap, unsigned long)
                          : va_arg (ap, unsigned), 16, false);
          break;
        case 's':
          for (const char *s = va_arg (ap, const char *); *s; s++)
            put (&o, *s);
          break;
        default:
          put (&o, *fmt);
        }
    }
  va_end (ap);
  SYS3 (SYS_WRITE, fd, o.buf, o.n);
}

static uint64_t
splitmix (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
rng_seed (struct rng *r, uint64_t seed)
{
  r->s = splitmix (&seed) | 1;
}

uint64_t
rng_next (struct rng *r)
{
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * 0x2545f4914f6cdd1dULL;
}

uint64_t
rng_below (struct rng *r, uint64_t n)
{
  return n ? rng_next (r) % n : 0;
}
