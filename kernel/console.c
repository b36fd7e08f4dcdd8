/* The console (COM1) and the kernel log (COM2); see console.h.
 *
 * Locking: each stream has a sleeping lock held for a whole call, so one
 * call's text is contiguous.  With interrupts off (handlers, scheduler,
 * panic) the lock is skipped: such code cannot be preempted, and the
 * only writers that run then are the panic path and early boot. */
#include "kernel/console.h"
#include "kernel/dev/serial.h"
#include "kernel/format.h"
#include "kernel/interrupt.h"
#include "kernel/sync.h"

unsigned debug_topics;

struct stream {
    uint16_t port;
    struct lock lock;
};

static struct stream con = { .port = COM1 };
static struct stream klog = { .port = COM2 };
static bool locks_ready;

void console_init(void)
{
    serial_init(COM1);
    serial_init(COM2);
    lock_init(&con.lock);
    lock_init(&klog.lock);
    locks_ready = true;
}

/* Take S's lock when it is safe to sleep; returns whether it was taken. */
static bool stream_begin(struct stream *s)
{
    if (!locks_ready || intr_get_level() == INTR_OFF || intr_context())
        return false;
    lock_acquire(&s->lock);
    return true;
}

static void stream_end(struct stream *s, bool locked)
{
    if (locked)
        lock_release(&s->lock);
}

static void stream_putc(char c, void *aux)
{
    serial_putc(((struct stream *)aux)->port, c);
}

static void stream_vprintf(struct stream *s, const char *fmt, va_list ap)
{
    bool locked = stream_begin(s);
    format(stream_putc, s, fmt, ap);
    stream_end(s, locked);
}

void console_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    stream_vprintf(&con, fmt, ap);
    va_end(ap);
}

void console_write_locked(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(COM1, buf[i]);
}

void console_acquire(void)
{
    lock_acquire(&con.lock);
}

void console_release(void)
{
    lock_release(&con.lock);
}

void vprintk(const char *fmt, va_list ap)
{
    stream_vprintf(&klog, fmt, ap);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void console_emergency(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        serial_putc(COM1, buf[i]);
        serial_putc(COM2, buf[i]);
    }
}

int console_getc_nowait(void)
{
    return serial_getc_nowait(COM1);
}
