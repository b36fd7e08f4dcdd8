/* Intrusive hash table (see hash.h). */
#include "kernel/hash.h"
#include "kernel/kmalloc.h"

#define INITIAL_BUCKETS 16

static size_t bucket_of(uint64_t key, size_t n)
{
    key ^= key >> 29;
    key *= 0xbf58476d1ce4e5b9UL;   /* a 64-bit mixing multiplier */
    key ^= key >> 32;
    return key & (n - 1);
}

bool hash_init(struct hash *h)
{
    h->n_buckets = INITIAL_BUCKETS;
    h->count = 0;
    h->buckets = kzalloc(h->n_buckets * sizeof *h->buckets);
    return h->buckets != NULL;
}

void hash_destroy(struct hash *h)
{
    kfree(h->buckets);
    h->buckets = NULL;
    h->n_buckets = h->count = 0;
}

struct hash_elem *hash_find(struct hash *h, uint64_t key)
{
    for (struct hash_elem *e = h->buckets[bucket_of(key, h->n_buckets)]; e; e = e->next)
        if (e->key == key)
            return e;
    return NULL;
}

/* Double the bucket array; on allocation failure keep the old one. */
static void grow(struct hash *h)
{
    size_t n = h->n_buckets * 2;
    struct hash_elem **b = kzalloc(n * sizeof *b);
    if (!b)
        return;
    for (size_t i = 0; i < h->n_buckets; i++) {
        struct hash_elem *e = h->buckets[i];
        while (e) {
            struct hash_elem *next = e->next;
            size_t j = bucket_of(e->key, n);
            e->next = b[j];
            b[j] = e;
            e = next;
        }
    }
    kfree(h->buckets);
    h->buckets = b;
    h->n_buckets = n;
}

bool hash_reserve(struct hash *h, size_t n)
{
    while (n > 2 * h->n_buckets) {
        size_t before = h->n_buckets;
        grow(h);
        if (h->n_buckets == before)
            return false;
    }
    return true;
}

bool hash_insert(struct hash *h, struct hash_elem *e)
{
    if (hash_find(h, e->key))
        return false;
    if (h->count >= 2 * h->n_buckets)
        grow(h);
    size_t i = bucket_of(e->key, h->n_buckets);
    e->next = h->buckets[i];
    h->buckets[i] = e;
    h->count++;
    return true;
}

void hash_remove(struct hash *h, struct hash_elem *e)
{
    struct hash_elem **p = &h->buckets[bucket_of(e->key, h->n_buckets)];
    while (*p && *p != e)
        p = &(*p)->next;
    if (*p) {
        *p = e->next;
        h->count--;
    }
}

size_t hash_size(const struct hash *h) { return h->count; }

static struct hash_elem *scan(struct hash *h, struct hash_iter *it)
{
    while (it->bucket < h->n_buckets) {
        struct hash_elem *e = h->buckets[it->bucket++];
        if (e) {
            it->next = e->next;
            return e;
        }
    }
    return NULL;
}

struct hash_elem *hash_first(struct hash *h, struct hash_iter *it)
{
    it->bucket = 0;
    it->next = NULL;
    return scan(h, it);
}

struct hash_elem *hash_next(struct hash *h, struct hash_iter *it)
{
    struct hash_elem *e = it->next;
    if (e) {
        it->next = e->next;
        return e;
    }
    return scan(h, it);
}
