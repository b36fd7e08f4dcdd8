/* Kernel panic and assertions.  PANIC prints its message and a
 * frame-pointer backtrace on both serial ports, then ends QEMU with
 * status 35 (docs/interfaces.md).  Never returns. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

void panic_at(const char *file, int line, const char *func, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

#define PANIC(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)
#define ASSERT(cond) \
    do { if (!(cond)) PANIC("assertion `%s' failed.", #cond); } while (0)
#define NOT_REACHED() PANIC("executed an unreachable statement")

/* Print a backtrace of return addresses starting from frame pointer RBP. */
void backtrace_print(void *rbp);

#endif
