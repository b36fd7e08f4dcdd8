/* The PIT timer: TIMER_FREQ interrupts a second drive preemption and
 * sleeping. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

#define TIMER_FREQ 100

void timer_init(void);
int64_t timer_ticks(void);
void timer_sleep(int64_t ticks);       /* sleep at least TICKS ticks */
uint64_t rdtsc(void);

#endif
