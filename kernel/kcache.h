/* A cache of fixed-size objects in front of the heap.
 *
 * Freed objects are kept, up to a limit, for the next allocation, so that
 * a workload that frees and allocates hundreds of objects at a time (the
 * exit and fork of a big process: a block of page records per 32 pages)
 * reuses them instead of handing them back to the heap and asking again.
 * kcache_trim() gives every kept object back to the heap; the accounting
 * trims before it reads the heap, so kept objects never look like a leak.
 *
 * No locking: the owner of a cache serialises its use (the VM lock for
 * page-record blocks). */
#ifndef KERNEL_KCACHE_H
#define KERNEL_KCACHE_H

#include <stddef.h>

struct kcache {
    size_t size;          /* object size, at least a pointer */
    size_t max;           /* objects kept at most */
    size_t n_free;
    void *free;           /* kept objects, linked through their first word */
};

void kcache_init(struct kcache *c, size_t size, size_t max);
void *kcache_alloc(struct kcache *c);    /* uninitialised; NULL when out of memory */
void kcache_free(struct kcache *c, void *obj);
void kcache_trim(struct kcache *c);

#endif
