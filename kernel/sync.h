/* Semaphores, locks and condition variables (sleeping primitives).
 *
 * Locks are not recursive and must be released by their holder.  None of
 * these may be used in the handler of an external interrupt (intr_context())
 * except sema_up and sema_try_down: they sleep.  Exception handlers that
 * came from user mode run in the process's thread and may sleep once they
 * have turned interrupts on (the page fault takes the VM lock). */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/list.h"

struct semaphore {
    unsigned value;
    struct list waiters;
};

void sema_init(struct semaphore *s, unsigned value);
void sema_down(struct semaphore *s);
bool sema_try_down(struct semaphore *s);
/* sema_down that gives up at timer tick DEADLINE: false if S was still
 * zero then. */
bool sema_down_until(struct semaphore *s, int64_t deadline);
void sema_up(struct semaphore *s);

struct thread;
struct lock {
    struct thread *holder;
    struct semaphore sema;
    bool timed;                   /* lock_init_timed: measures its holds */
    uint64_t acquired_at;         /* TSC when the holder got it (timed) */
    uint64_t max_hold;            /* longest hold so far, TSC cycles (timed) */
};

void lock_init(struct lock *l);
/* lock_init, and L measures its own longest hold: TSC cycles from the
 * moment a thread gets it (a wait for it excluded) to its release, sleeps
 * and preemption of the holder included, since others wait all that
 * time.  The accounting line reports it as the counter KEY, the longest
 * hold since the run's frame opened (docs/interfaces.md).  Boot. */
void lock_init_timed(struct lock *l, const char *key);
void lock_acquire(struct lock *l);
bool lock_try_acquire(struct lock *l);
void lock_release(struct lock *l);
bool lock_held_by_current_thread(const struct lock *l);

struct condition {
    struct list waiters;
};

void cond_init(struct condition *c);
void cond_wait(struct condition *c, struct lock *l);
void cond_signal(struct condition *c, struct lock *l);
void cond_broadcast(struct condition *c, struct lock *l);

#endif
