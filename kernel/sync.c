/* Semaphores, locks and condition variables (see sync.h).
 *
 * A semaphore's value and waiter list are touched with interrupts off;
 * that is the only place these primitives disable interrupts.  Waiters
 * are woken in FIFO order. */
#include "kernel/sync.h"
#include "kernel/accounting.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/timer.h"

void sema_init(struct semaphore *s, unsigned value)
{
    s->value = value;
    list_init(&s->waiters);
}

/* Wait until S is positive, then decrement it.  May sleep: not for
 * interrupt handlers. */
void sema_down(struct semaphore *s)
{
    ASSERT(!intr_context());
    enum intr_level old = intr_disable();
    while (s->value == 0) {
        list_push_back(&s->waiters, &thread_current()->elem);
        thread_block();
    }
    s->value--;
    intr_set_level(old);
}

/* A thread in sema_down_until, for the alarm that ends its wait. */
struct timed_wait {
    struct semaphore *sema;
    struct thread *thread;
    bool expired;
};

/* The deadline of a timed wait has come: mark it expired and, if the
 * thread still waits on the semaphore, take it off the list and wake it.
 * Timer interrupt, interrupts off. */
static void wait_expired(void *aux)
{
    struct timed_wait *w = aux;
    struct list *waiters = &w->sema->waiters;
    w->expired = true;
    for (struct list_elem *e = list_begin(waiters); e != list_end(waiters); e = list_next(e))
        if (e == &w->thread->elem) {
            list_remove(e);
            thread_unblock(w->thread);
            return;
        }
}

/* Wait until S is positive and decrement it, or until timer tick
 * DEADLINE; true when S was decremented.  May sleep: not for interrupt
 * handlers. */
bool sema_down_until(struct semaphore *s, int64_t deadline)
{
    ASSERT(!intr_context());
    struct timed_wait w = { s, thread_current(), false };
    struct timer_alarm alarm;
    enum intr_level old = intr_disable();
    timer_alarm_set(&alarm, deadline, wait_expired, &w);
    while (s->value == 0 && !w.expired) {
        list_push_back(&s->waiters, &thread_current()->elem);
        thread_block();
    }
    timer_alarm_cancel(&alarm);
    bool ok = s->value > 0;
    if (ok)
        s->value--;
    intr_set_level(old);
    return ok;
}

bool sema_try_down(struct semaphore *s)
{
    enum intr_level old = intr_disable();
    bool ok = s->value > 0;
    if (ok)
        s->value--;
    intr_set_level(old);
    return ok;
}

/* Increment S and wake its first waiter.  Safe in interrupt handlers. */
void sema_up(struct semaphore *s)
{
    enum intr_level old = intr_disable();
    if (!list_empty(&s->waiters))
        thread_unblock(list_entry(list_pop_front(&s->waiters), struct thread, elem));
    s->value++;
    intr_set_level(old);
}

/* A lock is a semaphore of value 1 whose release hands it over: when
 * threads wait, the first of them becomes the holder before it even runs.
 * Without that, a running thread that takes and drops the lock in a loop
 * (a process polling the file system with open) runs on to the end of its
 * time slice each time a release made the waiter ready, and the waiter,
 * at the back of the ready list, finds the lock taken again each time it
 * runs: a convoy that costs whole slices per acquisition. */
void lock_init(struct lock *l)
{
    l->holder = NULL;
    sema_init(&l->sema, 1);
    l->timed = false;
    l->acquired_at = l->max_hold = 0;
}

/* See sync.h. */
void lock_init_timed(struct lock *l, const char *key)
{
    lock_init(l);
    l->timed = true;
    accounting_register_max(key, &l->max_hold);
}

/* L has just been got by the running thread. */
static void got(struct lock *l)
{
    l->holder = thread_current();
    if (l->timed)
        l->acquired_at = rdtsc();
}

/* Make the running thread L's holder: at once when L is free, else after
 * sleeping until a release hands L over (FIFO).  Not in interrupt
 * handlers. */
static void __attribute__((noinline)) take(struct lock *l)
{
    ASSERT(!intr_context());
    enum intr_level old = intr_disable();
    if (l->sema.value > 0) {
        l->sema.value--;
        l->holder = thread_current();
    } else {
        list_push_back(&l->sema.waiters, &thread_current()->elem);
        thread_block();                 /* lock_release made us the holder */
        ASSERT(l->holder == thread_current());
    }
    intr_set_level(old);
}

void lock_acquire(struct lock *l)
{
    ASSERT(!lock_held_by_current_thread(l));
    take(l);
    got(l);
}

bool lock_try_acquire(struct lock *l)
{
    ASSERT(!lock_held_by_current_thread(l));
    bool ok = sema_try_down(&l->sema);
    if (ok)
        got(l);
    return ok;
}

/* Release L: to its first waiter, which holds it from now on, or free.  A
 * timed lock first records the hold that ends, while its holder still owns
 * the figures. */
void lock_release(struct lock *l)
{
    ASSERT(lock_held_by_current_thread(l));
    if (l->timed) {
        uint64_t held = rdtsc() - l->acquired_at;
        if (held > l->max_hold)
            l->max_hold = held;
    }
    enum intr_level old = intr_disable();
    if (list_empty(&l->sema.waiters)) {
        l->holder = NULL;
        l->sema.value++;
    } else {
        struct thread *t = list_entry(list_pop_front(&l->sema.waiters), struct thread, elem);
        l->holder = t;
        thread_unblock(t);
    }
    intr_set_level(old);
}

bool lock_held_by_current_thread(const struct lock *l)
{
    return l->holder == thread_current();
}

/* Each waiter sleeps on a semaphore of its own, linked into the
 * condition's list. */
struct cond_waiter {
    struct list_elem elem;
    struct semaphore sema;
};

void cond_init(struct condition *c)
{
    list_init(&c->waiters);
}

/* Atomically release L and wait for a signal, then reacquire L.
 * Caller must hold L. */
void cond_wait(struct condition *c, struct lock *l)
{
    ASSERT(lock_held_by_current_thread(l));
    struct cond_waiter w;
    sema_init(&w.sema, 0);
    list_push_back(&c->waiters, &w.elem);
    lock_release(l);
    sema_down(&w.sema);
    lock_acquire(l);
}

/* Wake one waiter of C.  Caller must hold L. */
void cond_signal(struct condition *c, struct lock *l)
{
    ASSERT(lock_held_by_current_thread(l));
    if (!list_empty(&c->waiters))
        sema_up(&list_entry(list_pop_front(&c->waiters), struct cond_waiter, elem)->sema);
}

void cond_broadcast(struct condition *c, struct lock *l)
{
    while (!list_empty(&c->waiters))
        cond_signal(c, l);
}
