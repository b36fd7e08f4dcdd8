/* Intrusive doubly linked lists (see list.h). */
#include "kernel/list.h"

void list_init(struct list *l)
{
    l->head.prev = NULL;
    l->head.next = &l->tail;
    l->tail.prev = &l->head;
    l->tail.next = NULL;
}

struct list_elem *list_begin(struct list *l) { return l->head.next; }
struct list_elem *list_end(struct list *l) { return &l->tail; }
struct list_elem *list_next(struct list_elem *e) { return e->next; }
struct list_elem *list_front(struct list *l) { return l->head.next; }
struct list_elem *list_back(struct list *l) { return l->tail.prev; }
bool list_empty(const struct list *l) { return l->head.next == &l->tail; }

size_t list_size(struct list *l)
{
    size_t n = 0;
    for (struct list_elem *e = list_begin(l); e != list_end(l); e = e->next)
        n++;
    return n;
}

void list_insert(struct list_elem *before, struct list_elem *e)
{
    e->prev = before->prev;
    e->next = before;
    before->prev->next = e;
    before->prev = e;
}

void list_push_back(struct list *l, struct list_elem *e) { list_insert(&l->tail, e); }
void list_push_front(struct list *l, struct list_elem *e) { list_insert(l->head.next, e); }

struct list_elem *list_remove(struct list_elem *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    return e->next;
}

struct list_elem *list_pop_front(struct list *l)
{
    struct list_elem *e = list_front(l);
    list_remove(e);
    return e;
}

void list_insert_ordered(struct list *l, struct list_elem *e, list_less_fn *less)
{
    struct list_elem *x = list_begin(l);
    while (x != list_end(l) && !less(e, x))
        x = x->next;
    list_insert(x, e);
}
