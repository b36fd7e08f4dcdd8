/* Folio user library: the printf family.  One formatter (vformat) feeds
   a sink that is either a caller's string or a buffer flushed to a file
   descriptor with write(). */
#include "stdio.h"
#include "string.h"
#include "syscall.h"
#include <stdbool.h>
#include <stdint.h>

struct sink
  {
    char *buf;          /* Where characters go. */
    size_t size;        /* Capacity of BUF (for a string, including NUL). */
    size_t pos;         /* Characters now in BUF. */
    size_t total;       /* Characters produced in all. */
    int fd;             /* Flush to this descriptor; -1 for a string. */
    int error;          /* A write failed. */
  };

static void
flush (struct sink *s)
{
  if (s->fd >= 0 && s->pos > 0)
    {
      if (write (s->fd, s->buf, s->pos) != (int) s->pos)
        s->error = 1;
      s->pos = 0;
    }
}

static void
put (struct sink *s, char c)
{
  if (s->fd >= 0)
    {
      if (s->pos == s->size)
        flush (s);
      s->buf[s->pos++] = c;
    }
  else if (s->pos + 1 < s->size)
    s->buf[s->pos++] = c;
  s->total++;
}

static void
put_repeat (struct sink *s, char c, int n)
{
  for (; n > 0; n--)
    put (s, c);
}

static void
put_string (struct sink *s, const char *str, size_t n)
{
  for (; n > 0; n--)
    put (s, *str++);
}

/* A conversion's flags, width and precision. */
struct spec
  {
    bool left, zero, plus, space, alt;
    int width;
    int precision;      /* -1: none given. */
  };

/* Formats integer VALUE (NEGATIVE: it is the magnitude of a negative
   number) in BASE. */
static void
put_number (struct sink *s, const struct spec *sp, uintmax_t value,
            bool negative, unsigned base, bool upper, const char *prefix)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  int n = 0, zeros, pad;
  char sign = 0;
  size_t prefix_len;

  do
    {
      tmp[n++] = digits[value % base];
      value /= base;
    }
  while (value != 0);
  if (sp->precision == 0 && n == 1 && tmp[0] == '0')
    n = 0;                                  /* "%.0d" of 0 prints nothing. */

  if (negative)
    sign = '-';
  else if (sp->plus)
    sign = '+';
  else if (sp->space)
    sign = ' ';

  prefix_len = prefix != NULL ? strlen (prefix) : 0;
  zeros = sp->precision > n ? sp->precision - n : 0;
  pad = sp->width - (n + zeros + (sign != 0) + (int) prefix_len);
  if (pad < 0)
    pad = 0;
  if (sp->zero && !sp->left && sp->precision < 0)
    {
      zeros += pad;
      pad = 0;
    }

  if (!sp->left)
    put_repeat (s, ' ', pad);
  if (sign != 0)
    put (s, sign);
  put_string (s, prefix != NULL ? prefix : "", prefix_len);
  put_repeat (s, '0', zeros);
  while (n > 0)
    put (s, tmp[--n]);
  if (sp->left)
    put_repeat (s, ' ', pad);
}

static void
put_text (struct sink *s, const struct spec *sp, const char *str)
{
  size_t n;
  int pad;

  if (str == NULL)
    str = "(null)";
  n = sp->precision >= 0 ? strnlen (str, sp->precision) : strlen (str);
  pad = sp->width > (int) n ? sp->width - (int) n : 0;
  if (!sp->left)
    put_repeat (s, ' ', pad);
  put_string (s, str, n);
  if (sp->left)
    put_repeat (s, ' ', pad);
}

static void
vformat (struct sink *s, const char *format, va_list args)
{
  for (; *format != '\0'; format++)
    {
      struct spec sp = { false, false, false, false, false, 0, -1 };
      enum { INT, CHAR, SHORT, LONG, LLONG, SIZE, PTRDIFF, MAX } len = INT;
      uintmax_t u = 0;
      intmax_t v = 0;

      if (*format != '%')
        {
          put (s, *format);
          continue;
        }
      format++;

      for (;; format++)
        {
          if (*format == '-')
            sp.left = true;
          else if (*format == '0')
            sp.zero = true;
          else if (*format == '+')
            sp.plus = true;
          else if (*format == ' ')
            sp.space = true;
          else if (*format == '#')
            sp.alt = true;
          else
            break;
        }

      if (*format == '*')
        {
          sp.width = va_arg (args, int);
          if (sp.width < 0)
            {
              sp.left = true;
              sp.width = -sp.width;
            }
          format++;
        }
      else
        for (; *format >= '0' && *format <= '9'; format++)
          sp.width = sp.width * 10 + (*format - '0');

      if (*format == '.')
        {
          format++;
          sp.precision = 0;
          if (*format == '*')
            {
              sp.precision = va_arg (args, int);
              format++;
            }
          else
            for (; *format >= '0' && *format <= '9'; format++)
              sp.precision = sp.precision * 10 + (*format - '0');
        }

      switch (*format)
        {
        case 'h':
          len = format[1] == 'h' ? (format++, CHAR) : SHORT;
          format++;
          break;
        case 'l':
          len = format[1] == 'l' ? (format++, LLONG) : LONG;
          format++;
          break;
        case 'z': len = SIZE; format++; break;
        case 't': len = PTRDIFF; format++; break;
        case 'j': len = MAX; format++; break;
        default: break;
        }

      switch (*format)
        {
        case 'd':
        case 'i':
          switch (len)
            {
            case CHAR: v = (signed char) va_arg (args, int); break;
            case SHORT: v = (short) va_arg (args, int); break;
            case INT: v = va_arg (args, int); break;
            case LONG: v = va_arg (args, long); break;
            case LLONG: v = va_arg (args, long long); break;
            case SIZE: v = va_arg (args, long); break;
            case PTRDIFF: v = va_arg (args, ptrdiff_t); break;
            case MAX: v = va_arg (args, intmax_t); break;
            }
          put_number (s, &sp, v < 0 ? -(uintmax_t) v : (uintmax_t) v,
                      v < 0, 10, false, NULL);
          break;

        case 'u':
        case 'x':
        case 'X':
        case 'o':
          switch (len)
            {
            case CHAR: u = (unsigned char) va_arg (args, unsigned); break;
            case SHORT: u = (unsigned short) va_arg (args, unsigned); break;
            case INT: u = va_arg (args, unsigned); break;
            case LONG: u = va_arg (args, unsigned long); break;
            case LLONG: u = va_arg (args, unsigned long long); break;
            case SIZE: u = va_arg (args, size_t); break;
            case PTRDIFF: u = va_arg (args, ptrdiff_t); break;
            case MAX: u = va_arg (args, uintmax_t); break;
            }
          if (*format == 'u')
            put_number (s, &sp, u, false, 10, false, NULL);
          else if (*format == 'o')
            put_number (s, &sp, u, false, 8, false,
                        sp.alt && u != 0 ? "0" : NULL);
          else
            put_number (s, &sp, u, false, 16, *format == 'X',
                        sp.alt && u != 0
                        ? (*format == 'X' ? "0X" : "0x") : NULL);
          break;

        case 'p':
          u = (uintptr_t) va_arg (args, void *);
          put_number (s, &sp, u, false, 16, false, "0x");
          break;

        case 'c':
          {
            char c = (char) va_arg (args, int);
            int pad = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left)
              put_repeat (s, ' ', pad);
            put (s, c);
            if (sp.left)
              put_repeat (s, ' ', pad);
          }
          break;

        case 's':
          put_text (s, &sp, va_arg (args, const char *));
          break;

        case '%':
          put (s, '%');
          break;

        case '\0':
          format--;             /* A lone '%' at the end: stop. */
          break;

        default:                /* Unknown conversion: print it as is. */
          put (s, '%');
          put (s, *format);
          break;
        }
    }
}

int
vsnprintf (char *buffer, size_t size, const char *format, va_list args)
{
  struct sink s = { buffer, size, 0, 0, -1, 0 };
  vformat (&s, format, args);
  if (size > 0)
    buffer[s.pos] = '\0';
  return (int) s.total;
}

int
snprintf (char *buffer, size_t size, const char *format, ...)
{
  va_list args;
  int n;
  va_start (args, format);
  n = vsnprintf (buffer, size, format, args);
  va_end (args);
  return n;
}

static char out_buffer[PRINTF_BUFFER];

int
vdprintf (int fd, const char *format, va_list args)
{
  struct sink s = { out_buffer, sizeof out_buffer, 0, 0, fd, 0 };
  vformat (&s, format, args);
  flush (&s);
  return s.error ? -1 : (int) s.total;
}

int
dprintf (int fd, const char *format, ...)
{
  va_list args;
  int n;
  va_start (args, format);
  n = vdprintf (fd, format, args);
  va_end (args);
  return n;
}

int
vprintf (const char *format, va_list args)
{
  return vdprintf (STDOUT_FILENO, format, args);
}

int
printf (const char *format, ...)
{
  va_list args;
  int n;
  va_start (args, format);
  n = vdprintf (STDOUT_FILENO, format, args);
  va_end (args);
  return n;
}

int
puts (const char *s)
{
  return printf ("%s\n", s) < 0 ? -1 : 0;
}

int
putchar (int c)
{
  char ch = (char) c;
  return write (STDOUT_FILENO, &ch, 1) == 1 ? (unsigned char) c : -1;
}
