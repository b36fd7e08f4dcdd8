/* Injected allocation failures, for testing the paths that unwind when
 * kernel memory runs out (the fail_alloc=N option, docs/kernel.md).
 *
 * Once started, one kernel allocation in N (kmalloc, and kernel-pool
 * pages not asked for with PAL_ASSERT), picked by a pseudo-random
 * sequence with a fixed seed, fails as if memory were exhausted.
 * The run's first fork starts it: the program under test has loaded and
 * set itself up by then, and what fails is the fork itself and whatever
 * the processes do next.  Power-off stops it, so boot, the accounting and
 * the file system's write-back never see an injected failure.
 *
 * Callable from any context. */
#ifndef KERNEL_INJECT_H
#define KERNEL_INJECT_H

#include <stdbool.h>
#include <stddef.h>

void inject_init(size_t every);   /* 0: never inject */
void inject_start(void);
void inject_stop(void);
/* Asked by the allocators: should this allocation fail? */
bool inject_fail(void);

#endif
