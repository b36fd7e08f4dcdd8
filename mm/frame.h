/* The frame table: one entry per frame of the user pool, recording the
 * pages that map it (the reverse map), and the clock that picks a victim
 * when the pool is exhausted.  Every function runs with the VM lock held
 * (mm/vm.h). */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/hash.h"
#include "kernel/list.h"

struct page;

struct frame {
    void *kva;                /* kernel alias of the frame */
    struct list pages;        /* pages that map it */
    int pins;                 /* > 0: the kernel is using it, not evictable */
    bool used;
    uint64_t working_set;     /* the fault working set it was allocated
                                 for (mm/vm.h), or 0 */
    struct hash_elem code_elem;  /* in the shared-code table when key != 0 */
};

void frame_init(void);
/* A frame for new contents, evicting other pages' if the pool is
 * exhausted (a batch of them at once: the rest go back to the pool for
 * the allocations that follow); NULL when nothing can be evicted
 * (everything pinned or of WORKING_SET, or the swap disk full or
 * failing).  WORKING_SET is the tag of the fault the frame is for
 * (struct vm's working_set; 0 for none): the frame carries it, and the
 * eviction for it never takes a frame that carries it (docs/vm.md, "Out
 * of memory").  The frame comes back pinned: frame_unpin() once the page
 * is mapped. */
struct frame *frame_alloc(uint64_t working_set);
/* A frame from the free pool, pinned like frame_alloc's and of no working
 * set (tag 0: swap read-ahead takes only what is free, and a guess belongs
 * to no fault's working set), never evicting for it; NULL when the pool is
 * exhausted. */
struct frame *frame_alloc_free(void);
/* A new frame holding a copy of OLD's contents, pinned like frame_alloc's;
 * OLD is pinned meanwhile so that the allocation cannot evict it.  NULL
 * when no frame can be had. */
struct frame *frame_alloc_copy(struct frame *old, uint64_t working_set);
void frame_attach(struct frame *f, struct page *p);
/* Remove P from its frame's reverse map; the frame is freed when P was
 * its last page. */
void frame_detach(struct page *p);
void frame_pin(struct frame *f);
void frame_unpin(struct frame *f);

/* Map P into its vm's page table at the frame it holds, with the
 * permissions its kind and sharing allow. */
bool frame_map_page(struct page *p);

/* Copy-on-write: DST, a page of another address space not yet mapped,
 * joins the holders of SRC's frame, and both map it read-only through
 * their PTEs SPTE and DPTE.  SRC's TLB entry is left for the caller to
 * flush (pml4_flush), once for a whole fork. */
void frame_share(struct page *src, uint64_t *spte, struct page *dst, uint64_t *dpte);

/* Holders of F (the length of its reverse map). */
size_t frame_holders(struct frame *f);

/* The shared-code table: read-only frames of executables, found by a key
 * naming the file and the page, so that processes running one program
 * share its code.  A frame leaves the table when it is freed or evicted. */
struct frame *frame_find_code(uint64_t key);
void frame_add_code(struct frame *f, uint64_t key);

/* Counters for the accounting line. */
size_t frame_evictions(void);

#endif
