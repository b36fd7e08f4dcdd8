/* Kernel threads and the round-robin scheduler (see thread.h).
 *
 * A thread's struct thread sits at the base of its own kernel stack
 * allocation (THREAD_STACK_PAGES pages from palloc); the stack grows down
 * from the top towards it, and a magic number after the struct catches an
 * overflow.  The ready list and all_threads are guarded by turning
 * interrupts off.  A dying thread is freed by the next thread to run, in
 * thread_schedule_tail, since nobody can free the stack they stand on. */
#include "kernel/thread.h"
#include "kernel/hangcheck.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/switch.h"
#include "kernel/timer.h"
#include "kernel/layout.h"
#include "kernel/palloc.h"

#define THREAD_MAGIC 0x7ead7ead

static struct list ready_list;
static struct list all_threads;
static struct list sleepers;          /* ordered by wake_tick */
static struct thread *idle_thread;
static struct thread main_thread;
static struct thread *current;
static tid_t next_tid = 1;
static unsigned slice_ticks;
/* Threads that thread_create made, idle aside, whose stacks are not
 * freed yet, and the thread waiting for them all to be
 * (thread_wait_all_freed).  Interrupts off to touch either. */
static size_t n_unfreed;
static struct thread *freed_waiter;
/* The thread that called thread_block last, the idle thread aside, and
 * the number of threads in sleepers: what the deadlock check reads.
 * Interrupts off to touch either. */
static tid_t last_blocked;
static size_t n_sleepers;

void (*thread_switch_hook)(struct thread *next);

extern char boot_stack_top[];

/* The FPU/SSE state of a fresh program (FNINIT's, with SSE's default
 * MXCSR) into the fxsave area FPU: x87 control word 0x037f (every x87
 * exception masked, 64-bit precision, round to nearest), status and tags
 * clear, MXCSR 0x1f80 (every SIMD exception masked, round to nearest),
 * every register zero.  No lock. */
static void fpu_default(uint8_t *fpu)
{
    memset(fpu, 0, FPU_AREA_SIZE);
    *(uint16_t *)&fpu[0] = 0x037f;     /* FCW */
    *(uint32_t *)&fpu[24] = 0x1f80;    /* MXCSR */
}

/* The main thread's FPU/SSE state is live in the CPU until its first
 * switch saves it; thread_create fills a new thread's. */
static void init_thread(struct thread *t, const char *name)
{
    t->tid = next_tid++;
    t->status = THREAD_BLOCKED;
    strlcpy(t->name, name, sizeof t->name);
    t->magic = THREAD_MAGIC;
    t->kernel_ticks = 0;
}

void thread_init(void)
{
    list_init(&ready_list);
    list_init(&all_threads);
    list_init(&sleepers);
    init_thread(&main_thread, "main");
    main_thread.status = THREAD_RUNNING;
    main_thread.stack = NULL;
    current = &main_thread;
    list_push_back(&all_threads, &main_thread.allelem);
}

struct thread *thread_current(void)
{
    ASSERT(current->magic == THREAD_MAGIC);
    return current;
}

uint64_t thread_stack_top(struct thread *t)
{
    if (t == &main_thread)
        return (uint64_t)boot_stack_top;
    return (uint64_t)t->stack + THREAD_STACK_PAGES * PGSIZE;
}

/* The idle thread runs when no other thread is ready.  When none still
 * is once it runs (the switch's tail may have woken one, as freeing the
 * last stack wakes thread_wait_all_freed's waiter), it asks the hang
 * check whether any ever can be again (hangcheck_idle reports a deadlock
 * and powers off when none can); then it halts until an interrupt. */
static void idle(void *aux)
{
    (void)aux;
    for (;;) {
        intr_disable();
        thread_block();
        if (list_empty(&ready_list))
            hangcheck_idle();
        /* Re-enable and wait for the next interrupt in one step. */
        __asm__ volatile("sti; hlt" : : : "memory");
    }
}

void thread_start(void)
{
    thread_create("idle", idle, NULL);
    intr_enable();
}

tid_t thread_create(const char *name, thread_func *fn, void *aux)
{
    void *stack = palloc_get_multiple(0, THREAD_STACK_PAGES);
    if (!stack)
        return TID_ERROR;
    struct thread *t = stack;
    init_thread(t, name);
    t->stack = stack;
    t->process = NULL;

    /* Initial stack: what switch_threads pops, returning to the trampoline. */
    uint64_t *sp = (uint64_t *)thread_stack_top(t);
    *--sp = (uint64_t)thread_trampoline;  /* leaves rsp 16-aligned */
    *--sp = 0;                            /* rbx */
    *--sp = 0;                            /* rbp = 0 ends backtraces */
    *--sp = (uint64_t)fn;                 /* r12 */
    *--sp = (uint64_t)aux;                /* r13 */
    *--sp = 0;                            /* r14 */
    *--sp = 0;                            /* r15 */
    /* The creator's selectors: a forked process starts with its parent's
     * (the kernel has not changed them since the parent's system call). */
    uint16_t ds, es, fs, gs;
    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    *--sp = gs;
    *--sp = fs;
    *--sp = es;
    *--sp = ds;
    t->rsp = (uint64_t)sp;
    /* And the creator's FPU/SSE state, live in the CPU (the kernel never
     * touches the units): a forked process starts with its parent's whole
     * state, as it starts with its registers.  A switch in between saves
     * and restores the same state, so no interrupt needs to be off. */
    __asm__ volatile("fxsave %0" : "=m"(t->fpu));

    enum intr_level old = intr_disable();
    list_push_back(&all_threads, &t->allelem);
    if (!idle_thread && strcmp(name, "idle") == 0) {
        idle_thread = t;
        t->status = THREAD_READY;
        list_push_back(&ready_list, &t->elem);
    } else {
        n_unfreed++;
        t->status = THREAD_BLOCKED;
        thread_unblock(t);
    }
    intr_set_level(old);
    return t->tid;
}

/* See thread.h.  Interrupts off between writing the area and loading
 * it, or a switch in between would save the old state over the new. */
void thread_fpu_reset(void)
{
    enum intr_level old = intr_disable();
    fpu_default(current->fpu);
    __asm__ volatile("fxrstor %0" : : "m"(current->fpu));
    intr_set_level(old);
}

/* Runs in the thread that schedule() chose, interrupts off.  PREV is the
 * thread switched away from, or NULL when the scheduler kept the same
 * thread.  Restores the FPU state that schedule() saved for it. */
void thread_schedule_tail(struct thread *prev)
{
    current->status = THREAD_RUNNING;
    slice_ticks = 0;
    if (!prev)
        return;
    __asm__ volatile("fxrstor %0" : : "m"(current->fpu));
    if (thread_switch_hook)
        thread_switch_hook(current);
    if (prev->status == THREAD_DYING && prev != &main_thread) {
        list_remove(&prev->allelem);
        prev->magic = 0;
        palloc_free_multiple(prev->stack, THREAD_STACK_PAGES);
        if (--n_unfreed == 0 && freed_waiter) {
            thread_unblock(freed_waiter);
            freed_waiter = NULL;
        }
    }
}

/* See thread.h.  Interrupts off while it checks and sleeps, so that the
 * last stack cannot be freed between the check and the sleep. */
void thread_wait_all_freed(void)
{
    ASSERT(current == &main_thread && !freed_waiter);
    enum intr_level old = intr_disable();
    while (n_unfreed > 0) {
        freed_waiter = current;
        thread_block();
    }
    intr_set_level(old);
}

static struct thread *next_to_run(void)
{
    if (list_empty(&ready_list))
        return idle_thread;
    return list_entry(list_pop_front(&ready_list), struct thread, elem);
}

/* Switch to the next ready thread.  Interrupts off; the current thread's
 * status has already been changed from RUNNING. */
static void schedule(void)
{
    ASSERT(intr_get_level() == INTR_OFF);
    struct thread *prev = current, *next = next_to_run();
    ASSERT(prev->magic == THREAD_MAGIC);
    if (next == prev) {
        thread_schedule_tail(NULL);
        return;
    }
    __asm__ volatile("fxsave %0" : "=m"(prev->fpu));
    current = next;
    prev = (struct thread *)switch_threads(&prev->rsp, next->rsp, prev);
    thread_schedule_tail(prev);
}

void thread_block(void)
{
    ASSERT(!intr_context());
    ASSERT(intr_get_level() == INTR_OFF);
    current->status = THREAD_BLOCKED;
    current->kernel_ticks = 0;
    if (current != idle_thread)
        last_blocked = current->tid;
    schedule();
}

void thread_unblock(struct thread *t)
{
    enum intr_level old = intr_disable();
    ASSERT(t->status == THREAD_BLOCKED);
    t->status = THREAD_READY;
    if (t != idle_thread)
        list_push_back(&ready_list, &t->elem);
    intr_set_level(old);
}

void thread_yield(void)
{
    ASSERT(!intr_context());
    enum intr_level old = intr_disable();
    if (current != idle_thread) {
        current->status = THREAD_READY;
        list_push_back(&ready_list, &current->elem);
        schedule();
    }
    intr_set_level(old);
}

void thread_exit(void)
{
    ASSERT(!intr_context());
    intr_disable();
    current->status = THREAD_DYING;
    schedule();
    NOT_REACHED();
}

static bool wakes_earlier(const struct list_elem *a, const struct list_elem *b)
{
    return list_entry(a, struct thread, elem)->wake_tick
         < list_entry(b, struct thread, elem)->wake_tick;
}

void thread_sleep_until(int64_t tick)
{
    enum intr_level old = intr_disable();
    if (timer_ticks() < tick) {
        current->wake_tick = tick;
        list_insert_ordered(&sleepers, &current->elem, wakes_earlier);
        n_sleepers++;
        thread_block();
    }
    intr_set_level(old);
}

/* Timer interrupt: wake sleepers that are due, end the slice. */
void thread_tick(void)
{
    int64_t now = timer_ticks();
    while (!list_empty(&sleepers)) {
        struct thread *t = list_entry(list_front(&sleepers), struct thread, elem);
        if (t->wake_tick > now)
            break;
        list_pop_front(&sleepers);
        n_sleepers--;
        thread_unblock(t);
    }
    if (current->magic != THREAD_MAGIC)
        PANIC("kernel stack overflow in thread %s", current->name);
    if (++slice_ticks >= TIME_SLICE && current != idle_thread)
        intr_yield_on_return();
}

bool thread_alive(tid_t tid)
{
    enum intr_level old = intr_disable();
    bool found = false;
    for (struct list_elem *e = list_begin(&all_threads); e != list_end(&all_threads); e = list_next(e))
        if (list_entry(e, struct thread, allelem)->tid == tid) {
            found = true;
            break;
        }
    intr_set_level(old);
    return found;
}

/* See thread.h.  A plain store to the running thread's own field, which
 * only the timer interrupt also writes: any context. */
void thread_entered_kernel(void)
{
    current->kernel_ticks = 0;
}

/* See thread.h.  Interrupts off. */
void thread_foreach(void (*fn)(struct thread *t, void *aux), void *aux)
{
    ASSERT(intr_get_level() == INTR_OFF);
    for (struct list_elem *e = list_begin(&all_threads); e != list_end(&all_threads); e = list_next(e)) {
        struct thread *t = list_entry(e, struct thread, allelem);
        if (t != idle_thread)
            fn(t, aux);
    }
}

bool thread_is_idle(const struct thread *t)
{
    return t == idle_thread;
}

tid_t thread_last_blocked(void)
{
    return last_blocked;
}

size_t thread_sleepers(void)
{
    return n_sleepers;
}

/* What switch_threads pushed (kernel/switch.S): rbp in slot 8 from the
 * saved rsp, the return address in slot 10. */
#define SWITCH_SAVED_RBP 8
#define SWITCH_RETURN 10

/* See thread.h.  T is not running.  Interrupts off. */
void thread_saved_frame(const struct thread *t, uint64_t *ret, uint64_t *rbp)
{
    ASSERT(t != current && t->status != THREAD_RUNNING);
    const uint64_t *sp = (const uint64_t *)t->rsp;
    *rbp = sp[SWITCH_SAVED_RBP];
    *ret = sp[SWITCH_RETURN];
}
