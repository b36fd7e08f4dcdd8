/* The frame table: one entry per frame of the user pool, recording the
 * pages that map it (the reverse map), and the clock that picks a victim
 * when the pool is exhausted.  Every function runs with the VM lock held
 * (mm/vm.h). */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include "kernel/list.h"

struct page;

struct frame {
    void *kva;                /* kernel alias of the frame */
    struct list pages;        /* pages that map it */
    int pins;                 /* > 0: the kernel is using it, not evictable */
    bool used;
};

void frame_init(void);
/* A frame for new contents, evicting another page's if the pool is
 * exhausted; NULL when nothing can be evicted (everything pinned, or the
 * swap disk full).  The frame comes back pinned: frame_unpin() once the
 * page is mapped. */
struct frame *frame_alloc(void);
void frame_attach(struct frame *f, struct page *p);
/* Remove P from its frame's reverse map; the frame is freed when P was
 * its last page. */
void frame_detach(struct page *p);
void frame_pin(struct frame *f);
void frame_unpin(struct frame *f);

/* Map P into its vm's page table at the frame it holds, with the
 * permissions its kind and sharing allow. */
bool frame_map_page(struct page *p);

/* Counters for the accounting line. */
size_t frame_evictions(void);

#endif
