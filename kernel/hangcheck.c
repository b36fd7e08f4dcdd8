/* The deadlock and soft-lockup checks (see hangcheck.h).
 *
 * The report, on COM2 only (docs/interfaces.md, section 3):
 *
 *   Kernel HANG: deadlock: every thread is blocked and no sleep, timer alarm or disk request is pending
 *   Thread 3 (deadlock-a): blocked, stuck
 *   Call stack: 0x... 0x...
 *   Thread 1 (main): blocked
 *   Call stack: 0x...
 *
 * one `Thread` line and one `Call stack:` line per thread (the idle
 * thread aside), in creation order.  `stuck` marks the thread the report
 * is about: for a soft lockup the thread that held the CPU, whose line
 * also gives the interrupted `rip=`; for a deadlock the thread that
 * blocked last, whose wait closed the cycle.  A switched-out thread's
 * stack starts at its return into schedule(); the running thread's at
 * the interrupted frame's callers.  Everything runs with interrupts off,
 * so printk skips the log's lock and nothing else runs meanwhile. */
#include "kernel/hangcheck.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/dev/block.h"
#include "kernel/dev/poweroff.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/timer.h"

#define MS_PER_TICK (1000 / TIMER_FREQ)

static bool enabled;
static unsigned limit_ticks;        /* soft-lockup limit */
static unsigned longest_ticks;      /* the longest kernel stint seen */

static size_t longest_ms(void)
{
    return (size_t)longest_ticks * MS_PER_TICK;
}

/* Boot, after cmdline_parse.  The limit is rounded up to whole ticks. */
void hangcheck_init(void)
{
    enabled = !kernel_options.hangcheck_off;
    limit_ticks = (kernel_options.lockup_ms + MS_PER_TICK - 1) / MS_PER_TICK;
    accounting_register_counter("longest_kernel_ms", longest_ms);
}

static const char *state_name(const struct thread *t)
{
    static const char *const names[] = {
        [THREAD_RUNNING] = "running", [THREAD_READY] = "ready",
        [THREAD_BLOCKED] = "blocked", [THREAD_DYING] = "dying",
    };
    return names[t->status];
}

/* One `Call stack:` line: FIRST (when not 0), then the return addresses
 * of the frame-pointer chain from RBP. */
static void print_stack(uint64_t first, uint64_t rbp)
{
    uint64_t ret[BACKTRACE_MAX];
    int n = backtrace_collect(rbp, ret, BACKTRACE_MAX);
    printk("Call stack:");
    if (first)
        printk(" 0x%lx", first);
    for (int i = 0; i < n; i++)
        printk(" 0x%lx", ret[i]);
    printk("\n");
}

/* What the report says about the running thread and the stuck one. */
struct report {
    const struct intr_frame *frame;   /* the running thread's, or NULL */
    tid_t stuck;
};

/* thread_foreach's FN: T's line and its call stack. */
static void print_thread(struct thread *t, void *aux)
{
    const struct report *r = aux;
    printk("Thread %d (%s): %s%s", t->tid, t->name, state_name(t),
           t->tid == r->stuck ? ", stuck" : "");
    if (t->status == THREAD_RUNNING && r->frame) {
        printk(", rip=0x%lx\n", r->frame->rip);
        print_stack(0, r->frame->rbp);
    } else if (t->status == THREAD_READY || t->status == THREAD_BLOCKED) {
        uint64_t ret, rbp;
        thread_saved_frame(t, &ret, &rbp);
        printk("\n");
        print_stack(ret, rbp);
    } else {
        printk("\n");
    }
}

/* Print every thread and end the machine.  Interrupts off. */
static void __attribute__((noreturn)) report_threads(const struct report *r)
{
    thread_foreach(print_thread, (void *)r);
    power_off_hang();
}

/* See hangcheck.h. */
void hangcheck_idle(void)
{
    ASSERT(intr_get_level() == INTR_OFF);
    if (!enabled || thread_sleepers() > 0 || timer_alarms_pending() > 0
        || block_requests_pending() > 0)
        return;
    printk("Kernel HANG: deadlock: every thread is blocked and no sleep, "
           "timer alarm or disk request is pending\n");
    struct report r = { NULL, thread_last_blocked() };
    report_threads(&r);
}

/* See hangcheck.h.  A tick that finds a thread in user mode also ends its
 * stint (entries from user mode do already: thread_entered_kernel). */
void hangcheck_tick(const struct intr_frame *f)
{
    struct thread *t = thread_current();
    if (f->cs & 3) {
        t->kernel_ticks = 0;
        return;
    }
    if (thread_is_idle(t))
        return;
    unsigned n = ++t->kernel_ticks;
    if (n > longest_ticks)
        longest_ticks = n;
    if (!enabled || n < limit_ticks)
        return;
    printk("Kernel HANG: soft lockup: thread %d (%s) held the CPU in kernel "
           "mode for %u ms (lockup_ms=%zu)\n", t->tid, t->name,
           n * MS_PER_TICK, kernel_options.lockup_ms);
    struct report r = { f, t->tid };
    report_threads(&r);
}
