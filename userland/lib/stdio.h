/* Folio user library: formatted output.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', '+',
 * ' ', '#', a width and a precision (digits or '*'), and the length
 * modifiers hh h l ll z t j.  No floating point.
 *
 * printf/dprintf/puts format into one static buffer and hand it to the
 * kernel with ONE write system call, so a line is never split between
 * processes; only output longer than PRINTF_BUFFER bytes takes more
 * writes.  They are not reentrant (user programs have one thread). */
#ifndef FOLIO_USER_STDIO_H
#define FOLIO_USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF_BUFFER 4096
#define PRINTF_FORMAT(FMT, FIRST) \
  __attribute__ ((format (printf, FMT, FIRST)))

int printf (const char *format, ...) PRINTF_FORMAT (1, 2);
int vprintf (const char *format, va_list args);
int dprintf (int fd, const char *format, ...) PRINTF_FORMAT (2, 3);
int vdprintf (int fd, const char *format, va_list args);
int snprintf (char *buffer, size_t size, const char *format, ...)
  PRINTF_FORMAT (3, 4);
int vsnprintf (char *buffer, size_t size, const char *format, va_list args);
int puts (const char *s);
int putchar (int c);

#endif /* FOLIO_USER_STDIO_H */
