/* Kernel panic and assertions.  PANIC prints its message and a
 * frame-pointer backtrace on both serial ports, then ends QEMU with
 * status 35 (docs/interfaces.md).  Never returns. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

void panic_at(const char *file, int line, const char *func, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

#define PANIC(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)
#define ASSERT(cond) \
    do { if (!(cond)) PANIC("assertion `%s' failed.", #cond); } while (0)
#define NOT_REACHED() PANIC("executed an unreachable statement")

/* ASSERT_DEBUG(cond): an ASSERT that debug builds (FOLIO_DEBUG, the
 * default, which every test runs) check and release builds leave out.
 * For rules checked on the hot paths, such as a lock rule in a function
 * called once per page: a fork of 4096 pages would pay for it 4096 times
 * in the release kernel that `make bench` measures. */
#ifdef FOLIO_DEBUG
#define ASSERT_DEBUG(cond) ASSERT(cond)
#else
#define ASSERT_DEBUG(cond) do { } while (0)
#endif

/* Print a backtrace of return addresses starting from frame pointer RBP
 * (`Call stack: 0x... 0x...` on both serial ports). */
void backtrace_print(void *rbp);

/* The return addresses of the frame-pointer chain from RBP, at most MAX,
 * into OUT; returns how many.  The walk stops at a zero or misaligned
 * link, or one outside the kernel's address range, so a corrupt stack
 * cannot fault it. */
#define BACKTRACE_MAX 32
int backtrace_collect(uint64_t rbp, uint64_t *out, int max);

#endif
