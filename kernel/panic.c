/* Kernel panic with a frame-pointer backtrace (see panic.h).
 *
 * The backtrace walks saved rbp links: each frame holds the caller's rbp
 * at [rbp] and the return address at [rbp + 8].  The walk stops at a
 * zero or misaligned link, or one outside the kernel's address range, so
 * a corrupt stack cannot fault the panic path.  The harness symbolizes
 * the addresses with addr2line on build/kernel.elf. */
#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/dev/poweroff.h"
#include "kernel/string.h"
#include "kernel/layout.h"
#include <stdarg.h>
#include <stdint.h>

static int panicking;

static void emit(const char *s)
{
    console_emergency(s, strlen(s));
}

/* See panic.h.  Any context; reads only kernel memory it checked. */
int backtrace_collect(uint64_t rbp, uint64_t *out, int max)
{
    const uint64_t *frame = (const uint64_t *)rbp;
    int n = 0;
    while (n < max && frame) {
        uint64_t a = (uint64_t)frame;
        if ((a & 7) || a < DMAP_BASE)
            break;
        uint64_t ret = frame[1];
        if (ret < KERNEL_VMA)
            break;
        out[n++] = ret;
        frame = (const uint64_t *)frame[0];
    }
    return n;
}

void backtrace_print(void *rbp)
{
    char buf[48];
    uint64_t ret[BACKTRACE_MAX];
    int n = backtrace_collect((uint64_t)rbp, ret, BACKTRACE_MAX);
    emit("Call stack:");
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, " 0x%lx", ret[i]);
        emit(buf);
    }
    emit("\n");
}

void panic_at(const char *file, int line, const char *func, const char *fmt, ...)
{
    __asm__ volatile("cli");
    if (panicking++) {
        /* A panic inside the panic path: stop at once. */
        emit("Kernel PANIC recursion\n");
        power_off_panic();
    }
    char buf[512];
    int n = snprintf(buf, sizeof buf, "Kernel PANIC at %s:%d in %s(): ", file, line, func);
    va_list ap;
    va_start(ap, fmt);
    if (n < (int)sizeof buf)
        vsnprintf(buf + n, sizeof buf - n, fmt, ap);
    va_end(ap);
    emit(buf);
    emit("\n");
    backtrace_print(__builtin_frame_address(0));
    power_off_panic();
}
