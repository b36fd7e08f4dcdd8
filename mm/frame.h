/* The frame table: one entry per frame of the user pool, recording the
 * pages that map it (the reverse map), and the clock that offers victims
 * when the pool is exhausted (to mm/evict.c, which frame_alloc calls).
 * Every function runs with the VM lock held (mm/vm_internal.h) but
 * frame_init (boot) and frame_evictions (the accounting's counter, one
 * word read without the lock). */
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
 * is installed (frame_install). */
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
/* Give P, which holds no frame, the pinned frame F from any of the
 * allocators above (or the shared-code table, pinned by the caller):
 * attach P to F, map P, and undo the caller's pin.  When P cannot be
 * mapped (no page-table page), P is detached again and F unpinned, so F
 * is freed unless others hold it; false then.  VM lock held. */
bool frame_install(struct frame *f, struct page *p);
/* Remove P from its frame's reverse map; the frame is freed when P was
 * its last page and nobody has it pinned. */
void frame_detach(struct page *p);
void frame_pin(struct frame *f);
/* Undo one frame_pin; frees F when no page holds it any more. */
void frame_unpin(struct frame *f);

/* Map P into its vm's page table at the frame it holds, with the
 * permissions its kind and sharing allow; false when a page-table page
 * is needed and none can be had. */
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

/* The pages that hold F (its reverse map), in order: for (p =
 * frame_first_holder(f); p; p = frame_next_holder(f, p)). */
struct page *frame_first_holder(struct frame *f);
struct page *frame_next_holder(struct frame *f, struct page *p);

/* For eviction (mm/evict.c). */
/* The frames of the user pool: one turn of the clock. */
size_t frame_count(void);
/* Move the clock hand one frame on; return the frame it passed when the
 * frame-level rules let it go now (in use, held by a page, not of working
 * set KEEP, not pinned, not accessed since the hand last passed: its
 * accessed bits are cleared as the hand passes), else NULL. */
struct frame *frame_clock_next(uint64_t keep);
/* Have F's contents changed since they were loaded?  Collects the dirty
 * bit of every mapping of F into its page, leaving the PTEs as they are. */
bool frame_collect_dirty(struct frame *f);
/* Clear the PTE of every holder of F, collecting their dirty bits first;
 * returns frame_collect_dirty's answer. */
bool frame_unmap_all(struct frame *f);
/* Map every holder of F again after its eviction failed, with the dirty
 * bit DIRTY that frame_unmap_all collected kept in each. */
void frame_remap_all(struct frame *f, bool dirty);
/* F's contents are saved and its holders' kinds let go: take every holder
 * off F (no frame, clean) and F out of the shared-code table, and count
 * an eviction.  F stays allocated, with no holder and no pin, for
 * page_evict's caller or frame_release. */
void frame_evicted(struct frame *f);
/* Free F, an evicted frame (no holder, no pin) that nobody keeps. */
void frame_release(struct frame *f);

/* Counters for the accounting line. */
size_t frame_evictions(void);

#endif
