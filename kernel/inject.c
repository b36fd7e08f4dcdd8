/* Injected allocation failures (see inject.h). */
#include "kernel/inject.h"
#include "kernel/accounting.h"
#include "kernel/interrupt.h"
#include <stdint.h>

static size_t every;              /* fail one allocation in N; 0: never */
static volatile bool started;
static uint64_t state = 0x9e3779b97f4a7c15;   /* a fixed seed: runs repeat */
static size_t injected;

static size_t count_injected(void) { return injected; }

/* Boot: fail one allocation in N from inject_start on (0: never).  Before
 * any allocation that may fail. */
void inject_init(size_t n)
{
    every = n;
    if (every)
        accounting_register_counter("injected_failures", count_injected);
}

void inject_start(void) { started = every != 0; }

void inject_stop(void) { started = false; }

/* xorshift64: a fixed counter would hit the same allocation of every
 * fork; a pseudo-random one spreads the failures over all of them. */
static uint64_t next_random(void)
{
    enum intr_level old = intr_disable();
    uint64_t x = state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state = x;
    intr_set_level(old);
    return x;
}

/* Should this allocation fail?  Any context: the sequence advances with
 * interrupts off. */
bool inject_fail(void)
{
    if (!started || next_random() % every != 0)
        return false;
    __atomic_add_fetch(&injected, 1, __ATOMIC_RELAXED);
    return true;
}
