/* Intrusive doubly linked lists with head and tail sentinels.
 *
 * A list element is embedded in the structure it links; list_entry()
 * turns an element pointer back into its structure.  No function here
 * allocates or locks: callers provide their own synchronisation. */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_elem {
    struct list_elem *prev, *next;
};

struct list {
    struct list_elem head, tail;
};

#define list_entry(ELEM, TYPE, MEMBER) \
    ((TYPE *)((char *)(ELEM) - offsetof(TYPE, MEMBER)))

void list_init(struct list *l);
struct list_elem *list_begin(struct list *l);
struct list_elem *list_end(struct list *l);
struct list_elem *list_next(struct list_elem *e);
struct list_elem *list_front(struct list *l);
struct list_elem *list_back(struct list *l);
bool list_empty(const struct list *l);
size_t list_size(struct list *l);
void list_insert(struct list_elem *before, struct list_elem *e);
void list_push_back(struct list *l, struct list_elem *e);
void list_push_front(struct list *l, struct list_elem *e);
struct list_elem *list_remove(struct list_elem *e);   /* returns next */
struct list_elem *list_pop_front(struct list *l);

/* Insert E into sorted list L, before the first element X for which
 * LESS(E, X) holds (so equal elements stay in insertion order). */
typedef bool list_less_fn(const struct list_elem *a, const struct list_elem *b);
void list_insert_ordered(struct list *l, struct list_elem *e, list_less_fn *less);

#endif
