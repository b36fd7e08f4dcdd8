/* PIT channel 0 as the system timer (see kernel/timer.h).
 *
 * The pending alarms are a list ordered by time, touched only with
 * interrupts off. */
#include "kernel/timer.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/thread.h"

#define PIT_HZ 1193182

static volatile int64_t ticks;
static struct list alarms;

/* Run the alarms that are due.  Timer interrupt, interrupts off. */
static void fire_alarms(void)
{
    while (!list_empty(&alarms)) {
        struct timer_alarm *a = list_entry(list_front(&alarms), struct timer_alarm, elem);
        if (a->when > ticks)
            break;
        list_pop_front(&alarms);
        a->pending = false;
        a->fn(a->aux);
    }
}

static void timer_interrupt(struct intr_frame *f)
{
    (void)f;
    ticks++;
    fire_alarms();
    thread_tick();
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
    intr_set_level(old);
}

/* Disarm A (see timer.h).  Any context. */
bool timer_alarm_cancel(struct timer_alarm *a)
{
    enum intr_level old = intr_disable();
    bool was = a->pending;
    if (was) {
        list_remove(&a->elem);
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

int64_t timer_ticks(void)
{
    return ticks;
}

void timer_sleep(int64_t n)
{
    if (n > 0)
        thread_sleep_until(timer_ticks() + n);
}

uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
