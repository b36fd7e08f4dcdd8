/* Object caches (see kcache.h). */
#include "kernel/kcache.h"
#include "kernel/kmalloc.h"

/* Make C a cache of objects of SIZE bytes (at least a pointer) that keeps
 * at most MAX freed ones.  No lock: the owner serialises. */
void kcache_init(struct kcache *c, size_t size, size_t max)
{
    c->size = size < sizeof(void *) ? sizeof(void *) : size;
    c->max = max;
    c->n_free = 0;
    c->free = NULL;
}

/* A kept object, or a new one from the heap; uninitialised; NULL when out
 * of memory.  No lock of its own: the owner serialises (the VM lock for
 * page-record blocks). */
void *kcache_alloc(struct kcache *c)
{
    void *obj = c->free;
    if (!obj)
        return kmalloc(c->size);
    c->free = *(void **)obj;
    c->n_free--;
    return obj;
}

/* Keep OBJ for the next kcache_alloc, or give it back to the heap when C
 * keeps MAX already; NULL is ignored.  No lock of its own: the owner
 * serialises. */
void kcache_free(struct kcache *c, void *obj)
{
    if (!obj)
        return;
    if (c->n_free == c->max) {
        kfree(obj);
        return;
    }
    *(void **)obj = c->free;
    c->free = obj;
    c->n_free++;
}

/* Give every kept object back to the heap.  No lock of its own: the owner
 * serialises. */
void kcache_trim(struct kcache *c)
{
    while (c->free) {
        void *obj = c->free;
        c->free = *(void **)obj;
        kfree(obj);
    }
    c->n_free = 0;
}
