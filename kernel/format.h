/* The printf engine shared by vsnprintf and the serial console.
 *
 * Supports %d %i %u %x %X %o %p %s %c %%, the l/ll/z/h length
 * modifiers, width, precision for %s, and the flags '-', '0' and ' '. */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void format_out_fn(char c, void *aux);
/* Format FMT with AP, calling OUT(c, AUX) for each character; returns
 * the number of characters produced. */
int format(format_out_fn *out, void *aux, const char *fmt, va_list ap);

#endif
