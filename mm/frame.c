/* The frame table and its clock (see frame.h).
 *
 * frames[] has one entry per frame of the user pool, indexed by frame
 * number, so a kernel address finds its entry in O(1).  The clock hand
 * sweeps that array and persists between evictions.  The frame-level
 * decision about a candidate (frame_clock_next) is
 * frame_check_references(), a pure function of the frame's pin count and
 * accessed bit, after frame_may_take() (the out-of-memory rule: never a
 * frame of the faulting instruction's working set).  What happens to the
 * holders' contents is the page layer's: frame_alloc calls page_evict
 * (mm/evict.c) when the pool is exhausted, the one call of this file that
 * runs upwards, and nothing here reads a page kind's operations. */
#include "mm/frame.h"
#include "kernel/accounting.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "kernel/palloc.h"
#include "mm/evict.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

static struct frame *frames;
static size_t n_frames, base_pfn, hand;
static size_t n_evictions;
static struct hash code_table;      /* the shared-code table */

size_t frame_evictions(void) { return n_evictions; }

/* Boot, before any process: the frame table covers the whole user pool, so
 * that frame_of() is an index.  No lock: nothing else runs in the VM yet. */
void frame_init(void)
{
    base_pfn = palloc_user_first_pfn();
    n_frames = palloc_user_span();
    frames = kzalloc(n_frames * sizeof *frames);
    if (!frames || !hash_init(&code_table))
        PANIC("no memory for a frame table of %zu entries", n_frames);
    accounting_register_counter("evictions", frame_evictions);
}

/* The entry of the user-pool frame at kernel address KVA.  No lock: a pure
 * index. */
static struct frame *frame_of(void *kva)
{
    size_t i = vtop(kva) / PGSIZE - base_pfn;
    ASSERT(i < n_frames);
    return &frames[i];
}

/* See frame.h.  VM lock held. */
struct page *frame_first_holder(struct frame *f)
{
    return list_empty(&f->pages) ? NULL : list_entry(list_front(&f->pages), struct page, frame_elem);
}

/* See frame.h.  VM lock held. */
struct page *frame_next_holder(struct frame *f, struct page *p)
{
    struct list_elem *e = list_next(&p->frame_elem);
    return e == list_end(&f->pages) ? NULL : list_entry(e, struct page, frame_elem);
}

enum evict_verdict { EVICT_SKIP, EVICT_SECOND_CHANCE, EVICT_NOW };

/* The clock's decision for a frame, a pure function of its pin count and
 * whether any holder accessed it since the last turn.  Pinned: the kernel
 * is using the frame through its alias (a system call's buffer, a copy in
 * progress), so it must stay.  Accessed: a page used since the hand last
 * passed is likely to be used again; it gets a second chance and its bits
 * are cleared.  Anything else has not been used for a whole turn and goes.
 * No lock. */
static enum evict_verdict frame_check_references(int pins, bool accessed)
{
    if (pins > 0)
        return EVICT_SKIP;
    return accessed ? EVICT_SECOND_CHANCE : EVICT_NOW;
}

/* The out-of-memory rule's part in eviction (docs/vm.md, "Out of
 * memory"): may the allocation for a fault of working set KEEP take a
 * frame that was allocated for working set TAG?  A pure function, no
 * lock. */
static bool frame_may_take(uint64_t tag, uint64_t keep)
{
    /* No fault asks (a system call's pin, fork's copy): it has no working
     * set to keep, and any frame may go. */
    if (keep == 0)
        return true;
    /* The frame holds a page that the same instruction's earlier faults
     * brought in since it last got anywhere: taking it would undo that
     * work, and the instruction would fault on it again.  Keeping it
     * bounds a streak's allocations by the pool's size (and its
     * evictions by that many batches), so a streak that cannot get all
     * its pages ends in a failed allocation (a kill) instead of a loop. */
    return tag != keep;
}

/* Read and clear the accessed bits of every mapping of F, flushing each
 * cleared one from the TLB.  VM lock held. */
static bool test_and_clear_accessed(struct frame *f)
{
    bool accessed = false;
    for (struct page *p = frame_first_holder(f); p; p = frame_next_holder(f, p)) {
        uint64_t *pte = pte_of(p);
        if (pte && (*pte & PTE_A)) {
            accessed = true;
            *pte &= ~PTE_A;
            pt_invalidate(p->vm->pml4, p->va);
        }
    }
    return accessed;
}

/* See frame.h.  VM lock held. */
bool frame_collect_dirty(struct frame *f)
{
    bool dirty = false;
    for (struct page *p = frame_first_holder(f); p; p = frame_next_holder(f, p))
        dirty |= page_collect_dirty(p, pte_of(p));
    return dirty;
}

/* See frame.h.  VM lock held. */
bool frame_unmap_all(struct frame *f)
{
    bool dirty = frame_collect_dirty(f);
    for (struct page *p = frame_first_holder(f); p; p = frame_next_holder(f, p)) {
        uint64_t *pte = pte_of(p);
        if (pte && (*pte & PTE_P)) {
            *pte = 0;
            pt_invalidate(p->vm->pml4, p->va);
        }
    }
    return dirty;
}

/* Take F out of the shared-code table, if it is there.  VM lock held. */
static void code_table_remove(struct frame *f)
{
    if (f->code_elem.key) {
        hash_remove(&code_table, &f->code_elem);
        f->code_elem.key = 0;
    }
}

/* Free F when no page holds it and nobody has it pinned.  VM lock held. */
static void release_if_unused(struct frame *f)
{
    if (list_empty(&f->pages) && f->pins == 0) {
        code_table_remove(f);
        f->used = false;
        palloc_free_page(f->kva);
    }
}

/* See frame.h.  Each holder was mapped before frame_unmap_all, so its
 * page table exists (page tables last as long as their address space)
 * and mapping it again allocates nothing: it cannot fail.  VM lock
 * held. */
void frame_remap_all(struct frame *f, bool dirty)
{
    for (struct page *q = frame_first_holder(f); q; q = frame_next_holder(f, q)) {
        q->dirty |= dirty;
        bool mapped = frame_map_page(q);
        ASSERT(mapped);
    }
}

/* See frame.h.  VM lock held. */
void frame_evicted(struct frame *f)
{
    while (!list_empty(&f->pages)) {
        struct page *q = list_entry(list_pop_front(&f->pages), struct page, frame_elem);
        q->frame = NULL;
        q->dirty = false;
    }
    code_table_remove(f);
    n_evictions++;
}

/* See frame.h.  VM lock held. */
void frame_release(struct frame *f)
{
    ASSERT(list_empty(&f->pages) && f->pins == 0);
    release_if_unused(f);
}

/* See frame.h.  VM lock held. */
size_t frame_count(void)
{
    return n_frames;
}

/* See frame.h.  VM lock held. */
struct frame *frame_clock_next(uint64_t keep)
{
    struct frame *f = &frames[hand];
    hand = (hand + 1) % n_frames;
    if (!f->used || list_empty(&f->pages) || !frame_may_take(f->working_set, keep))
        return NULL;
    if (frame_check_references(f->pins, test_and_clear_accessed(f)) != EVICT_NOW)
        return NULL;
    return f;
}

/* See frame.h.  VM lock held (asserted); never evicts. */
struct frame *frame_alloc_free(void)
{
    ASSERT_DEBUG(vm_lock_held());
    void *kva = palloc_get_page(PAL_USER);
    if (!kva)
        return NULL;
    struct frame *f = frame_of(kva);
    f->kva = kva;
    f->used = true;
    list_init(&f->pages);
    f->pins = 1;
    f->working_set = 0;
    return f;
}

/* See frame.h.  VM lock held (asserted); may evict, and sleep on the disk. */
struct frame *frame_alloc(uint64_t working_set)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *f = frame_alloc_free();
    if (!f && !(f = page_evict(working_set)))
        return NULL;
    f->pins = 1;
    f->working_set = working_set;
    return f;
}

/* See frame.h.  VM lock held (asserted); may evict, never OLD. */
struct frame *frame_alloc_copy(struct frame *old, uint64_t working_set)
{
    ASSERT_DEBUG(vm_lock_held());
    frame_pin(old);                         /* not evicted while we copy */
    struct frame *copy = frame_alloc(working_set);
    if (copy)
        memcpy(copy->kva, old->kva, PGSIZE);
    frame_unpin(old);
    return copy;
}

/* Add P to F's holders.  VM lock held (asserted). */
static void frame_attach(struct frame *f, struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    list_push_back(&f->pages, &p->frame_elem);
    p->frame = f;
}

/* See frame.h.  VM lock held (asserted). */
void frame_detach(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *f = p->frame;
    list_remove(&p->frame_elem);
    p->frame = NULL;
    release_if_unused(f);
}

/* Keep F from eviction until frame_unpin.  VM lock held (asserted). */
void frame_pin(struct frame *f)
{
    ASSERT_DEBUG(vm_lock_held());
    f->pins++;
}

/* Undo one frame_pin; frees F when that was all that kept it.  VM lock
 * held (asserted). */
void frame_unpin(struct frame *f)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(f->pins > 0);
    f->pins--;
    release_if_unused(f);
}

/* See frame.h.  VM lock held (asserted). */
size_t frame_holders(struct frame *f)
{
    ASSERT_DEBUG(vm_lock_held());
    return list_size(&f->pages);
}

/* See frame.h.  A shared frame is mapped read-only in every holder; the
 * first write breaks the sharing (page_unshare).  The dirty bit of the
 * mapping being replaced is kept in the page.  VM lock held (asserted);
 * false when no page-table page can be had (the kernel pool is dry, or
 * the process is at its kernel-memory limit: vm_make_tables). */
bool frame_map_page(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    page_collect_dirty(p, pte_of(p));       /* before the PTE is replaced */
    bool shared = frame_holders(p->frame) > 1;
    bool writable = p->writable && !shared;
    if (pt_map(p->vm->pml4, p->va, p->frame->kva, writable, p->executable))
        return true;                        /* the common case: the tables exist */
    return vm_make_tables(p->vm, p->va) != NULL
        && pt_map(p->vm->pml4, p->va, p->frame->kva, writable, p->executable);
}

/* See frame.h.  VM lock held (asserted). */
bool frame_install(struct frame *f, struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    frame_attach(f, p);
    bool mapped = frame_map_page(p);
    if (!mapped)
        frame_detach(p);                    /* the pin keeps F until below */
    frame_unpin(f);
    return mapped;
}

/* See frame.h.  DST is a copy of SRC (executable exactly when SRC is), so
 * its PTE is SRC's read-only one: the same frame, present, user, the same
 * no-execute bit, without SRC's accessed bit.  VM lock held (asserted);
 * no allocation, so it cannot fail. */
void frame_share(struct page *src, uint64_t *spte, struct page *dst, uint64_t *dpte)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT_DEBUG(dst->executable == src->executable);
    dst->dirty = page_collect_dirty(src, spte);
    *spte &= ~(PTE_W | PTE_D);
    frame_attach(src->frame, dst);
    *dpte = *spte & ~PTE_A;
}

/* See frame.h.  VM lock held (asserted). */
struct frame *frame_find_code(uint64_t key)
{
    ASSERT_DEBUG(vm_lock_held());
    struct hash_elem *e = hash_find(&code_table, key);
    return e ? hash_entry(e, struct frame, code_elem) : NULL;
}

/* See frame.h.  When another frame holds KEY already (it cannot, while the
 * caller found none under the same lock hold), F simply stays out of the
 * table.  VM lock held (asserted). */
void frame_add_code(struct frame *f, uint64_t key)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(key != 0 && !f->code_elem.key);
    f->code_elem.key = key;
    if (!hash_insert(&code_table, &f->code_elem))
        f->code_elem.key = 0;
}
