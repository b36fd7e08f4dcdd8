/* Eviction, the page layer's half (see evict.h): pick a batch of victims
 * from the frame table's clock, ask each one's first holder's kind where
 * its contents go (save_plan), write those bound for swap in one request,
 * let each kind give up its frame (its evict operation), and hand the
 * frames back to the frame table.  The frame table decides by frame-level
 * rules alone (pins, accessed bits, the working set); everything that
 * reads a kind's operations is here.  Every function runs with the VM
 * lock held. */
#include "mm/evict.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/palloc.h"
#include "mm/frame.h"
#include "mm/spt.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

/* Can a victim whose contents go where PLAN says (its first holder's
 * save_plan) be saved, with SLOTS_LEFT swap slots not yet claimed by the
 * batch?  A pure function, no lock. */
static bool can_save(enum page_save plan, size_t slots_left)
{
    /* A page that needs a slot cannot go when none is left (the swap disk
     * full or absent): taking it would only unmap it and map it again,
     * in the place of a page that could go, such as a clean code page.
     * Leaving it out lets the sweep reach those, so that an eviction
     * fails only when, over three turns, nothing could go. */
    return plan != SAVE_SWAP || slots_left > 0;
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
    struct page *first = frame_first_holder(f);
    if (!first->ops->evict(first, f->kva, dirty, slot))
        return false;
    for (struct page *q = frame_next_holder(f, first); q; q = frame_next_holder(f, q)) {
        if (slot >= 0) {
            ASSERT(q->slot < 0);            /* resident: its slot went at swap-in */
            if (q->ops->destroy)
                q->ops->destroy(q);
            q->ops = first->ops;
            q->slot = swap_dup(slot);
        } else {
            ASSERT(q->ops == first->ops);
        }
    }
    frame_evicted(f);
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

/* Sweep the clock for up to MAX (<= SWAP_CLUSTER_MAX) victims: the frames
 * that frame_clock_next offers (never one of working set KEEP, nor one
 * pinned or accessed since the hand last passed), and of those only the
 * ones whose contents have somewhere to go (can_save: one swap slot each
 * for those that need one); fills VICTIMS[] and returns how many.  The
 * sweep ends when the batch is full, or after one whole turn that found
 * at least one, or after three turns that found none: one turn may do no
 * more than clear the accessed bits, and user processes run on (setting
 * them again) while an eviction waits on the disk.  VM lock held. */
static size_t evict_select(struct frame *victims[], size_t max, uint64_t keep)
{
    size_t n = 0, slots_left = swap_slots_free();
    size_t turn = frame_count();
    for (size_t step = 0; step < 3 * turn && n < max && !(n > 0 && step >= turn); step++) {
        struct frame *f = frame_clock_next(keep);
        if (!f)
            continue;
        struct page *first = frame_first_holder(f);
        enum page_save plan = first->ops->save_plan(first, frame_collect_dirty(f));
        if (!can_save(plan, slots_left))
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
    struct page *pa = frame_first_holder(a), *pb = frame_first_holder(b);
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
        struct page *first = frame_first_holder(victims[i]);
        dirty[i] = frame_unmap_all(victims[i]);
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
            frame_remap_all(victims[i], dirty[i]);
        }
    }
    return freed;
}

/* See evict.h.  A batch none of whose victims could be saved (a failed
 * swap request) is followed by another, up to three in all, as the clock
 * moves on to other frames and the swap allocator to other slots.  VM
 * lock held (asserted). */
struct frame *page_evict(uint64_t keep)
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
            frame_release(victims[i]);
        if (freed > 0)
            return victims[0];
    }
    return NULL;
}
