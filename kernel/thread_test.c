/* Self-tests of threads, the scheduler, sleeping and synchronisation. */
#include "kernel/selftest.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "kernel/palloc.h"

/* Wait until N threads have signalled DONE and every one of TIDS is gone
 * (its stack freed), so page accounting is exact afterwards. */
static void join(struct semaphore *done, const tid_t *tids, int n)
{
    for (int i = 0; i < n; i++)
        sema_down(done);
    for (int i = 0; i < n; i++)
        while (thread_alive(tids[i]))
            thread_yield();
}

/* --- sleep ordering --- */
static struct lock order_lock;
static int wake_order[4], n_woken;
static struct semaphore done;

static void sleeper(void *aux)
{
    int id = (int)(long)aux;
    timer_sleep(2 + 3 * id);
    lock_acquire(&order_lock);
    wake_order[n_woken++] = id;
    lock_release(&order_lock);
    sema_up(&done);
}

/* --- preemption: a spinner that never yields must not starve others --- */
static volatile bool stop_spinning;
static volatile int spins_done;

static void spinner(void *aux)
{
    (void)aux;
    while (!stop_spinning)
        ;
    spins_done++;
    sema_up(&done);
}

static void stopper(void *aux)
{
    (void)aux;
    stop_spinning = true;
    sema_up(&done);
}

static void noop(void *aux)
{
    (void)aux;
    sema_up(&done);
}

void selftest_threads(void)
{
    size_t kbase = palloc_kernel_used();
    tid_t tids[64];
    lock_init(&order_lock);
    sema_init(&done, 0);

    n_woken = 0;
    for (int id = 3; id >= 0; id--)
        tids[3 - id] = thread_create("sleeper", sleeper, (void *)(long)id);
    join(&done, tids, 4);
    bool ordered = n_woken == 4;
    for (int i = 0; i < 4; i++)
        ordered &= wake_order[i] == i;
    ST_CHECK(ordered, "sleepers woke out of order: %d %d %d %d",
             wake_order[0], wake_order[1], wake_order[2], wake_order[3]);
    st_msg("4 sleepers woke in deadline order");

    stop_spinning = false;
    tids[0] = thread_create("spinner", spinner, NULL);
    tids[1] = thread_create("stopper", stopper, NULL);
    join(&done, tids, 2);
    ST_CHECK(spins_done == 1, "spinner did not finish");
    st_msg("a busy thread was preempted");

    for (int i = 0; i < 64; i++)
        tids[i] = thread_create("noop", noop, NULL);
    join(&done, tids, 64);
    ST_CHECK(palloc_kernel_used() == kbase, "thread stacks leaked: %zu pages",
             palloc_kernel_used() - kbase);
    st_msg("64 threads created, run and freed");
}

/* --- mutual exclusion under preemption --- */
static struct lock counter_lock;
static int counter;

static void incrementer(void *aux)
{
    (void)aux;
    for (int i = 0; i < 500; i++) {
        lock_acquire(&counter_lock);
        int tmp = counter;
        if (i % 50 == 0)
            thread_yield();   /* invite a race the lock must prevent */
        counter = tmp + 1;
        lock_release(&counter_lock);
    }
    sema_up(&done);
}

/* --- semaphore ping-pong --- */
static struct semaphore ping, pong;
static int volleys;

static void ponger(void *aux)
{
    (void)aux;
    for (int i = 0; i < 100; i++) {
        sema_down(&ping);
        volleys++;
        sema_up(&pong);
    }
    sema_up(&done);
}

/* --- condition variables: a bounded buffer --- */
#define BUF_SIZE 4
static struct lock buf_lock;
static struct condition not_full, not_empty;
static int buffer[BUF_SIZE], buf_head, buf_count;
static long consumed_sum;

static void producer(void *aux)
{
    (void)aux;
    for (int v = 1; v <= 200; v++) {
        lock_acquire(&buf_lock);
        while (buf_count == BUF_SIZE)
            cond_wait(&not_full, &buf_lock);
        buffer[(buf_head + buf_count++) % BUF_SIZE] = v;
        cond_signal(&not_empty, &buf_lock);
        lock_release(&buf_lock);
    }
    sema_up(&done);
}

static void consumer(void *aux)
{
    (void)aux;
    for (int i = 0; i < 200; i++) {
        lock_acquire(&buf_lock);
        while (buf_count == 0)
            cond_wait(&not_empty, &buf_lock);
        consumed_sum += buffer[buf_head];
        buf_head = (buf_head + 1) % BUF_SIZE;
        buf_count--;
        cond_signal(&not_full, &buf_lock);
        lock_release(&buf_lock);
    }
    sema_up(&done);
}

/* --- lock release policy (kernel/sync.c): a release hands over --- */
static struct lock policy_lock;
static volatile bool policy_waiter_got;

static void policy_waiter(void *aux)
{
    (void)aux;
    lock_acquire(&policy_lock);
    policy_waiter_got = true;
    lock_release(&policy_lock);
    sema_up(&done);
}

/* A release with a waiter gives the lock to that waiter before it runs:
 * the releasing thread, still running, cannot take it back. */
static void check_release_policy(void)
{
    tid_t tid;
    lock_init(&policy_lock);
    policy_waiter_got = false;
    lock_acquire(&policy_lock);
    tid = thread_create("policy-waiter", policy_waiter, NULL);
    while (list_empty(&policy_lock.sema.waiters))
        thread_yield();
    lock_release(&policy_lock);
    bool retaken = lock_try_acquire(&policy_lock);
    if (retaken)
        lock_release(&policy_lock);
    ST_CHECK(!retaken, "the releaser took back a lock its waiter was waiting for");
    join(&done, &tid, 1);
    ST_CHECK(policy_waiter_got, "the waiter never got the lock");
    st_msg("a release hands the lock to its waiter");
}

void selftest_locks(void)
{
    tid_t tids[4];
    sema_init(&done, 0);
    lock_init(&counter_lock);
    counter = 0;
    for (int i = 0; i < 4; i++)
        tids[i] = thread_create("incrementer", incrementer, NULL);
    join(&done, tids, 4);
    ST_CHECK(counter == 2000, "counter is %d, expected 2000", counter);
    st_msg("4 threads x 500 locked increments = %d", counter);

    sema_init(&ping, 0);
    sema_init(&pong, 0);
    volleys = 0;
    tids[0] = thread_create("ponger", ponger, NULL);
    bool in_step = true;
    for (int i = 0; i < 100; i++) {
        sema_up(&ping);
        sema_down(&pong);
        in_step &= volleys == i + 1;
    }
    join(&done, tids, 1);
    ST_CHECK(in_step, "semaphore ping-pong lost a step");
    st_msg("100 semaphore volleys in step");

    lock_init(&buf_lock);
    cond_init(&not_full);
    cond_init(&not_empty);
    buf_head = buf_count = 0;
    consumed_sum = 0;
    tids[0] = thread_create("consumer", consumer, NULL);
    tids[1] = thread_create("producer", producer, NULL);
    join(&done, tids, 2);
    ST_CHECK(consumed_sum == 200 * 201 / 2, "bounded buffer sum %ld", consumed_sum);
    st_msg("bounded buffer passed 200 items, sum %ld", consumed_sum);

    check_release_policy();
}
