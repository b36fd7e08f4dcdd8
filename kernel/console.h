/* The two serial streams of docs/interfaces.md.
 *
 * console_*: COM1, the console.  Only the frame lines, user output and
 *            process-exit lines go here once the run has begun.
 * printk:    COM2, the kernel log: diagnostics, fault notices, statistics.
 *
 * Each call writes whole: one call's output never interleaves with
 * another's.  Callable from threads; printk and console_printf are also
 * callable with interrupts off (they then skip the sleeping lock). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_init(void);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Hold the console across several console_write_locked calls, so that
 * one user write made of several pieces stays contiguous. */
void console_acquire(void);
void console_write_locked(const char *buf, size_t n);
void console_release(void);
/* One byte of console input (COM1), or -1 when none has arrived. */
int console_getc_nowait(void);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* Write to both streams (panic path): takes no lock. */
void console_emergency(const char *buf, size_t n);

/* Debug prints: DEBUG(topic, fmt, ...) prints to the kernel log only when
 * the kernel was built with FOLIO_DEBUG and the topic is enabled with the
 * `debug=TOPIC,...` command-line option. */
extern unsigned debug_topics;
enum debug_topic { DBG_VM = 1, DBG_SWAP = 2, DBG_PROC = 4, DBG_FS = 8, DBG_BLOCK = 16 };
#ifdef FOLIO_DEBUG
#define DEBUG(topic, ...) \
    do { if (debug_topics & (topic)) printk(__VA_ARGS__); } while (0)
#else
#define DEBUG(topic, ...) do { } while (0)
#endif

#endif
