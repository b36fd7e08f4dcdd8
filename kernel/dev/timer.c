/* PIT channel 0 as the system timer (see kernel/timer.h).
 *
 * The pending alarms are a list ordered by time, and their count (what
 * the deadlock check asks), touched only with interrupts off. */
#include "kernel/timer.h"
#include "kernel/hangcheck.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/thread.h"

#define PIT_HZ 1193182

static volatile int64_t ticks;
static struct list alarms;
static size_t n_alarms;

/* Run the alarms that are due.  Timer interrupt, interrupts off. */
static void fire_alarms(void)
{
    while (!list_empty(&alarms)) {
        struct timer_alarm *a = list_entry(list_front(&alarms), struct timer_alarm, elem);
        if (a->when > ticks)
            break;
        list_pop_front(&alarms);
        n_alarms--;
        a->pending = false;
        a->fn(a->aux);
    }
}

static void timer_interrupt(struct intr_frame *f)
{
    ticks++;
    fire_alarms();
    thread_tick();
    hangcheck_tick(f);
}

/* Order of the alarm list: earlier first. */
static bool fires_earlier(const struct list_elem *a, const struct list_elem *b)
{
    return list_entry(a, struct timer_alarm, elem)->when
         < list_entry(b, struct timer_alarm, elem)->when;
}

/* Arm A (see timer.h).  Any context. */
void timer_alarm_set(struct timer_alarm *a, int64_t when, void (*fn)(void *aux), void *aux)
{
    enum intr_level old = intr_disable();
    a->when = when;
    a->fn = fn;
    a->aux = aux;
    a->pending = true;
    list_insert_ordered(&alarms, &a->elem, fires_earlier);
    n_alarms++;
    intr_set_level(old);
}

/* Disarm A (see timer.h).  Any context. */
bool timer_alarm_cancel(struct timer_alarm *a)
{
    enum intr_level old = intr_disable();
    bool was = a->pending;
    if (was) {
        list_remove(&a->elem);
        n_alarms--;
        a->pending = false;
    }
    intr_set_level(old);
    return was;
}

void timer_init(void)
{
    list_init(&alarms);
    uint16_t divisor = (PIT_HZ + TIMER_FREQ / 2) / TIMER_FREQ;
    outb(0x43, 0x34);                 /* channel 0, lobyte/hibyte, rate generator */
    outb(0x40, divisor & 0xff);
    outb(0x40, divisor >> 8);
    intr_register_irq(0, timer_interrupt, "timer");
}

/* See timer.h.  Interrupts off. */
size_t timer_alarms_pending(void)
{
    return n_alarms;
}

int64_t timer_ticks(void)
{
    return ticks;
}

void timer_sleep(int64_t n)
{
    if (n > 0)
        thread_sleep_until(timer_ticks() + n);
}

/* TSC cycles while PIT channel 2 counts down CAL_COUNT input clocks in
 * mode 0 with its gate open (its output, port 0x61 bit 5, rises at zero);
 * 0 when the output never rises.  The PIT computes its output from the
 * emulator's clock when read, so the figure holds even when timer
 * interrupts arrive late on a loaded host.  Spins for about 55 ms. */
#define PORT_B 0x61               /* bit 0: channel 2 gate, 1: speaker, 5: output */
#define CAL_COUNT 0xFFFF
#define CAL_SPINS 100000000
static uint64_t pit_countdown_cycles(void)
{
    uint8_t port_b = inb(PORT_B);
    outb(PORT_B, (port_b & ~0x02) | 0x01);
    outb(0x43, 0xB0);                 /* channel 2, low then high byte, mode 0 */
    outb(0x42, CAL_COUNT & 0xFF);
    uint64_t c0 = rdtsc();
    outb(0x42, CAL_COUNT >> 8);       /* counting starts */
    uint64_t spins = 0;
    while (!(inb(PORT_B) & 0x20) && ++spins < CAL_SPINS)
        continue;
    uint64_t c1 = rdtsc();
    outb(PORT_B, port_b);
    return spins < CAL_SPINS ? c1 - c0 : 0;
}

/* TSC cycles a second: the shortest of three countdowns, since a host
 * that deschedules the emulator can only lengthen one.  0 when the PIT's
 * channel 2 does not count.  Spins for about 165 ms; thread context. */
uint64_t timer_tsc_hz(void)
{
    uint64_t best = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t c = pit_countdown_cycles();
        if (c == 0)
            return 0;
        if (best == 0 || c < best)
            best = c;
    }
    return best * PIT_HZ / CAL_COUNT;
}

/* The time-stamp counter.  Read without asking CPUID: the frozen
 * machine's CPU hides the TSC bit so that GRUB skips its calibration, and
 * QEMU executes rdtsc all the same; only CR4.TSD limits it, and that to
 * ring 0, where this runs (docs/interfaces.md, section 1).  Any context. */
uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
