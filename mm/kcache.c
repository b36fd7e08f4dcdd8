/* Object caches (see kcache.h). */
#include "mm/kcache.h"
#include "mm/kmalloc.h"

void kcache_init(struct kcache *c, size_t size, size_t max)
{
    c->size = size < sizeof(void *) ? sizeof(void *) : size;
    c->max = max;
    c->n_free = 0;
    c->free = NULL;
}

void *kcache_alloc(struct kcache *c)
{
    void *obj = c->free;
    if (!obj)
        return kmalloc(c->size);
    c->free = *(void **)obj;
    c->n_free--;
    return obj;
}

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

void kcache_trim(struct kcache *c)
{
    while (c->free) {
        void *obj = c->free;
        c->free = *(void **)obj;
        kfree(obj);
    }
    c->n_free = 0;
}
