/* The frame table and clock eviction (see frame.h).
 *
 * frames[] has one entry per frame of the user pool, indexed by frame
 * number, so a kernel address finds its entry in O(1).  The clock hand
 * sweeps that array and persists between evictions.  The decision about
 * a candidate is frame_check_references(), a pure function of the
 * frame's pin count and accessed bit, after frame_may_take() (the
 * out-of-memory rule: never a frame of the faulting instruction's working
 * set) and before frame_can_save() (a page bound for swap needs a free
 * slot).  An eviction takes a batch of victims (evict_select) and writes
 * them out together (evict_write_out), the anonymous ones in one swap
 * request. */
#include "mm/frame.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "mm/page.h"
#include "kernel/pagetable.h"
#include "kernel/palloc.h"
#include "mm/swap.h"
#include "mm/vm.h"

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

/* The pages that hold F (its reverse map), in order: for (p =
 * first_holder(f); p; p = next_holder(f, p)).  VM lock held. */
static struct page *first_holder(struct frame *f)
{
    return list_empty(&f->pages) ? NULL : list_entry(list_front(&f->pages), struct page, frame_elem);
}

static struct page *next_holder(struct frame *f, struct page *p)
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

/* Can a victim whose contents go where PLAN says (its first holder's
 * save_plan) be saved, with SLOTS_LEFT swap slots not yet claimed by the
 * batch?  A pure function, no lock. */
static bool frame_can_save(enum page_save plan, size_t slots_left)
{
    /* A page that needs a slot cannot go when none is left (the swap disk
     * full or absent): taking it would only unmap it and map it again,
     * in the place of a page that could go, such as a clean code page.
     * Leaving it out lets the sweep reach those, so that an eviction
     * fails only when, over three turns, nothing could go. */
    return plan != SAVE_SWAP || slots_left > 0;
}

/* Read and clear the accessed bits of every mapping of F, flushing each
 * cleared one from the TLB.  VM lock held. */
static bool test_and_clear_accessed(struct frame *f)
{
    bool accessed = false;
    for (struct page *p = first_holder(f); p; p = next_holder(f, p)) {
        uint64_t *pte = pte_of(p);
        if (pte && (*pte & PTE_A)) {
            accessed = true;
            *pte &= ~PTE_A;
            pt_invalidate(p->vm->pml4, p->va);
        }
    }
    return accessed;
}

/* Have F's contents changed since they were loaded?  Collects the dirty
 * bit of every mapping of F into its page, leaving the PTEs as they are.
 * VM lock held. */
static bool collect_dirty(struct frame *f)
{
    bool dirty = false;
    for (struct page *p = first_holder(f); p; p = next_holder(f, p))
        dirty |= page_collect_dirty(p, pte_of(p));
    return dirty;
}

/* Clear the PTE of every page of F, collecting their dirty bits into the
 * pages first.  Returns whether the contents changed since they were
 * loaded.  VM lock held. */
static bool unmap_all(struct frame *f)
{
    bool dirty = collect_dirty(f);
    for (struct page *p = first_holder(f); p; p = next_holder(f, p)) {
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

/* Map every holder of F again after its eviction failed, with the dirty
 * bit DIRTY that unmap_all collected kept in each.  VM lock held. */
static void evict_undo(struct frame *f, bool dirty)
{
    for (struct page *q = first_holder(f); q; q = next_holder(f, q)) {
        q->dirty |= dirty;
        /* Without a page-table page, Q keeps its frame unmapped and its
         * next access maps it again (mm/fault.c's remap case). */
        if (!frame_map_page(q))
            printk("vm: evict: page 0x%lx stays unmapped until touched (no page table)\n",
                   q->va);
    }
}

/* Take unmapped F from its pages once its contents are saved: SLOT holds
 * them when the first holder's plan was SAVE_SWAP, else -1.  The first
 * holder's kind gives up the frame (writing a file page back, which may
 * fall short: false, and F keeps every holder).  The other holders
 * (copy-on-write sharers, all copies of one page, so of the first's kind)
 * follow it: when the contents went to SLOT they share it and become
 * anonymous; otherwise the first's kind dropped them or wrote them back to
 * the same place in the same file, and the others simply let go.  VM lock
 * held; may sleep on the file system. */
static bool evict_commit(struct frame *f, bool dirty, int64_t slot)
{
    struct page *first = first_holder(f);
    if (!first->ops->evict(first, f->kva, dirty, slot))
        return false;
    list_remove(&first->frame_elem);
    first->frame = NULL;
    first->dirty = false;
    while (!list_empty(&f->pages)) {
        struct page *q = list_entry(list_pop_front(&f->pages), struct page, frame_elem);
        if (slot >= 0) {
            ASSERT(q->slot < 0);            /* resident: its slot went at swap-in */
            if (q->ops->destroy)
                q->ops->destroy(q);
            q->ops = first->ops;
            q->slot = swap_dup(slot);
        } else {
            ASSERT(q->ops == first->ops);
        }
        q->frame = NULL;
        q->dirty = false;
    }
    code_table_remove(f);
    n_evictions++;
    return true;
}

/* The most frames one eviction frees: the kernel option swap_cluster, but
 * no more than a quarter of the user pool, so that a small pool does not
 * lose its whole working set to one batch.  No lock: reads constants. */
static size_t evict_batch_size(void)
{
    size_t max = palloc_user_total() / 4;
    size_t n = kernel_options.swap_cluster < max ? kernel_options.swap_cluster : max;
    return n ? n : 1;
}

/* Sweep the clock for up to MAX (<= SWAP_CLUSTER_MAX) victims, never a
 * frame of working set KEEP (frame_may_take), each other frame's fate
 * decided by frame_check_references, and only frames whose contents have
 * somewhere to go (frame_can_save: one swap slot each for those that need
 * one); fills VICTIMS[] and returns how many.  The sweep ends when the
 * batch is full, or after one whole turn that found at least one, or
 * after three turns that found none: one turn may do no more than clear
 * the accessed bits, and user processes run on (setting them again)
 * while an eviction waits on the disk.  VM lock held. */
static size_t evict_select(struct frame *victims[], size_t max, uint64_t keep)
{
    size_t n = 0, slots_left = swap_slots_free();
    for (size_t step = 0; step < 3 * n_frames && n < max && !(n > 0 && step >= n_frames);
         step++) {
        struct frame *f = &frames[hand];
        hand = (hand + 1) % n_frames;
        if (!f->used || list_empty(&f->pages) || !frame_may_take(f->working_set, keep))
            continue;
        if (frame_check_references(f->pins, test_and_clear_accessed(f)) != EVICT_NOW)
            continue;
        struct page *first = first_holder(f);
        enum page_save plan = first->ops->save_plan(first, collect_dirty(f));
        if (!frame_can_save(plan, slots_left))
            continue;
        slots_left -= plan == SAVE_SWAP;
        victims[n++] = f;
    }
    return n;
}

/* Does frame A's first holder come before B's in (process, address)
 * order?  VM lock held. */
static bool victim_before(struct frame *a, struct frame *b)
{
    struct page *pa = first_holder(a), *pb = first_holder(b);
    return pa->vm != pb->vm ? (uintptr_t)pa->vm < (uintptr_t)pb->vm : pa->va < pb->va;
}

/* Sort the N victims by their first holder's process and address
 * (insertion sort: N is small), so that consecutive slots hold
 * consecutive pages of one process, which is what swap read-ahead looks
 * for.  VM lock held. */
static void sort_victims(struct frame *v[], size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct frame *f = v[i];
        size_t j = i;
        for (; j > 0 && victim_before(f, v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = f;
    }
}

/* Evict the N victims: unmap them all (their owners fault and wait for
 * the VM lock from then on), write those whose first holder's plan is
 * SAVE_SWAP to consecutive swap slots in as few requests as the free
 * slots allow (swap_write_cluster), then take each frame from its pages
 * (evict_commit, which writes file pages back).  A victim that could not
 * be saved (swap full, a failed request, a short file write-back) is
 * mapped again as it was and left out.  Moves the frames now free to the
 * front of VICTIMS[] and returns how many; they hold no page and no pin.
 * VM lock held; sleeps on the disks, while other processes run. */
static size_t evict_write_out(struct frame *victims[], size_t n)
{
    ASSERT_DEBUG(vm_lock_held());
    bool dirty[SWAP_CLUSTER_MAX];
    enum page_save plan[SWAP_CLUSTER_MAX];
    void *kvas[SWAP_CLUSTER_MAX];
    int64_t slots[SWAP_CLUSTER_MAX];
    size_t to_swap = 0;
    for (size_t i = 0; i < n; i++) {
        struct page *first = first_holder(victims[i]);
        dirty[i] = unmap_all(victims[i]);
        plan[i] = first->ops->save_plan(first, dirty[i]);
        if (plan[i] == SAVE_SWAP)
            kvas[to_swap++] = victims[i]->kva;
    }
    swap_write_cluster(kvas, to_swap, slots);
    size_t freed = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        int64_t slot = plan[i] == SAVE_SWAP ? slots[k++] : -1;
        bool saved = plan[i] != SAVE_SWAP || slot >= 0;
        if (saved && evict_commit(victims[i], dirty[i], slot)) {
            victims[freed++] = victims[i];
        } else {
            if (slot >= 0)
                swap_free(slot);            /* written, but the page stays */
            evict_undo(victims[i], dirty[i]);
        }
    }
    return freed;
}

/* Evict a batch of frames, none of working set KEEP, keep one for the
 * caller and free the others for the allocations that follow; NULL when
 * nothing could be evicted.  A batch none of whose victims could be saved
 * (a failed swap request) is followed by another, up to three in all, as
 * the clock moves on to other frames and the swap allocator to other
 * slots.  VM lock held. */
static struct frame *evict_batch(uint64_t keep)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *victims[SWAP_CLUSTER_MAX];
    for (int tries = 0; tries < 3; tries++) {
        size_t n = evict_select(victims, evict_batch_size(), keep);
        if (n == 0)
            return NULL;
        sort_victims(victims, n);
        size_t freed = evict_write_out(victims, n);
        for (size_t i = 1; i < freed; i++)
            release_if_unused(victims[i]);
        if (freed > 0)
            return victims[0];
    }
    return NULL;
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
    if (!f && !(f = evict_batch(working_set)))
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
void frame_attach(struct frame *f, struct page *p)
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
 * false when no page-table page can be had. */
bool frame_map_page(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    page_collect_dirty(p, pte_of(p));       /* before the PTE is replaced */
    bool shared = frame_holders(p->frame) > 1;
    return pt_map(p->vm->pml4, p->va, p->frame->kva, p->writable && !shared, p->executable);
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
