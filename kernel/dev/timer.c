/* PIT channel 0 as the system timer (see kernel/timer.h). */
#include "kernel/timer.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/thread.h"

#define PIT_HZ 1193182

static volatile int64_t ticks;

static void timer_interrupt(struct intr_frame *f)
{
    (void)f;
    ticks++;
    thread_tick();
}

void timer_init(void)
{
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
