/* The physical page allocator.
 *
 * Usable RAM from the multiboot2 memory map (less the kernel image, the
 * boot modules and the boot page tables) is split into a kernel pool and a
 * user pool; `user_pages=N` caps the user pool.  Pages are returned as
 * direct-map kernel virtual addresses.  Callable from any context,
 * interrupt handlers and the scheduler included (it frees a dead thread's
 * stack): the bitmap is touched with interrupts off (no sleeping lock). */
#ifndef KERNEL_PALLOC_H
#define KERNEL_PALLOC_H

#include <stddef.h>

enum palloc_flags {
    PAL_ASSERT = 1,   /* panic on failure */
    PAL_ZERO = 2,     /* zero the pages */
    PAL_USER = 4,     /* take from the user pool */
};

void palloc_init(size_t user_page_limit);
void *palloc_get_page(enum palloc_flags flags);
void *palloc_get_multiple(enum palloc_flags flags, size_t n);
void palloc_free_page(void *page);
void palloc_free_multiple(void *pages, size_t n);

/* Accounting: pages in use and the size of each pool. */
size_t palloc_kernel_used(void);
size_t palloc_user_used(void);
size_t palloc_user_total(void);
size_t palloc_kernel_total(void);
/* The user pool's frame-number range, for the frame table. */
size_t palloc_user_first_pfn(void);
size_t palloc_user_span(void);

#endif
