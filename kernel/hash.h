/* An intrusive hash table with chaining, keyed by a 64-bit integer.
 *
 * Elements embed a struct hash_elem holding their key.  The table grows
 * (doubling) when it holds more than two elements per bucket, so lookup is
 * O(1) expected.  No locking: callers serialise. */
#ifndef KERNEL_HASH_H
#define KERNEL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hash_elem {
    uint64_t key;
    struct hash_elem *next;
};

struct hash {
    struct hash_elem **buckets;
    size_t n_buckets, count;
};

#define hash_entry(ELEM, TYPE, MEMBER) \
    ((TYPE *)((char *)(ELEM) - offsetof(TYPE, MEMBER)))

bool hash_init(struct hash *h);
/* Grow the bucket array for N elements (best effort: false when short of
 * memory, and the table still works). */
bool hash_reserve(struct hash *h, size_t n);
void hash_destroy(struct hash *h);     /* frees the buckets, not the elements */
struct hash_elem *hash_find(struct hash *h, uint64_t key);
/* Insert E (with E->key set); false when the key is present already. */
bool hash_insert(struct hash *h, struct hash_elem *e);
void hash_remove(struct hash *h, struct hash_elem *e);
size_t hash_size(const struct hash *h);

/* Iterate: for (e = hash_first(h, &it); e; e = hash_next(h, &it)).  The
 * current element may be removed during iteration. */
struct hash_iter {
    size_t bucket;
    struct hash_elem *next;
};
struct hash_elem *hash_first(struct hash *h, struct hash_iter *it);
struct hash_elem *hash_next(struct hash *h, struct hash_iter *it);

#endif
