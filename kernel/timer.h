/* The PIT timer: TIMER_FREQ interrupts a second drive preemption,
 * sleeping and alarms. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/list.h"

#define TIMER_FREQ 100

void timer_init(void);
int64_t timer_ticks(void);
void timer_sleep(int64_t ticks);       /* sleep at least TICKS ticks */
uint64_t rdtsc(void);
uint64_t timer_tsc_hz(void);           /* TSC rate, measured; 0 if unknown */

/* A one-shot alarm: FN(AUX) runs in the timer interrupt (interrupts off,
 * must not sleep) at the first tick >= WHEN.  The struct belongs to its
 * owner, who must cancel a pending alarm before the struct goes away. */
struct timer_alarm {
    struct list_elem elem;        /* the pending alarms, by time */
    int64_t when;
    void (*fn)(void *aux);
    void *aux;
    bool pending;
};

/* Arm A to run FN(AUX) at tick WHEN.  A must not be pending.  Any
 * context. */
void timer_alarm_set(struct timer_alarm *a, int64_t when, void (*fn)(void *aux), void *aux);
/* Disarm A if it has not fired; true when it had not.  Any context. */
bool timer_alarm_cancel(struct timer_alarm *a);
/* How many alarms are armed and have not fired.  Interrupts off (the
 * deadlock check, kernel/hangcheck.c). */
size_t timer_alarms_pending(void);

#endif
