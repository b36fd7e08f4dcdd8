/* The context switch (kernel/switch.S) and the scheduler function it
 * calls.  For kernel/thread.c only. */
#ifndef KERNEL_SWITCH_H
#define KERNEL_SWITCH_H

#include <stdint.h>

struct thread;

/* Save the callee-saved registers and rsp of the running thread (rsp in
 * *SAVE_RSP), load NEXT_RSP and return, in the next thread, PREV.
 * Interrupts off. */
uint64_t switch_threads(uint64_t *save_rsp, uint64_t next_rsp, struct thread *prev);
/* Where a new thread starts: calls thread_schedule_tail, enables
 * interrupts and runs the thread's function. */
void thread_trampoline(void);
/* The end of every switch, in the thread switched to, interrupts off:
 * PREV is the thread switched away from (NULL when the same one runs on). */
void thread_schedule_tail(struct thread *prev);

#endif
