/* Pages (see page.h): their life in and out of frames (loading, the
 * copy-on-write break, stack growth, release).  The kinds' operations are
 * in files of their own: mm/anon_page.c, mm/exec_page.c, and mm/mmap.c
 * for the pages of file mappings.  Every function runs with the VM lock
 * held unless it says so. */
#include "mm/page.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "mm/spt.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

static size_t n_loads, n_stack, n_code_shares, n_cow_breaks, n_cow_reuses, n_readahead;
static size_t count_loads(void) { return n_loads; }
static size_t count_readahead(void) { return n_readahead; }
static size_t count_stack(void) { return n_stack; }
static size_t count_code_shares(void) { return n_code_shares; }
static size_t count_cow_breaks(void) { return n_cow_breaks; }
static size_t count_cow_reuses(void) { return n_cow_reuses; }

/* Boot: the accounting's counters of what happens to pages.  No lock. */
void page_init(void)
{
    accounting_register_counter("faults_load", count_loads);
    accounting_register_counter("faults_stack", count_stack);
    accounting_register_counter("code_shares", count_code_shares);
    accounting_register_counter("cow_breaks", count_cow_breaks);
    accounting_register_counter("cow_reuses", count_cow_reuses);
    accounting_register_counter("swap_readahead", count_readahead);
}

/* --- in and out of frames --- */

/* Is Q, the record K pages from P in P's vm (or NULL), the continuation of
 * P's swapped-out run: not resident, and in the slot K slots from P's?
 * VM lock held. */
static bool continues_run(const struct page *q, const struct page *p, int64_t k)
{
    return q && !q->frame && q->slot >= 0 && q->slot == p->slot + k;
}

/* P's read-ahead run: P and the pages of its vm at the addresses around
 * it whose slots lie around P's slot in the same order, not resident, at
 * most MAX (>= 1) in all: forwards first (programs mostly walk up), then
 * backwards with what is left.  Fills RUN[] in slot order; returns its
 * length, with P's index in *AT.  Same vm and same order is what makes a
 * neighbour worth reading: eviction writes each batch sorted by process
 * and address (mm/frame.c).  VM lock held. */
static size_t readahead_run(struct page *p, size_t max, struct page *run[], size_t *at)
{
    struct page *after[SWAP_CLUSTER_MAX], *before[SWAP_CLUSTER_MAX];
    size_t fwd = 0, back = 0;
    while (1 + fwd < max) {
        struct page *q = spt_find(p->vm, p->va + (fwd + 1) * PGSIZE);
        if (!continues_run(q, p, (int64_t)fwd + 1))
            break;
        after[fwd++] = q;
    }
    while (1 + fwd + back < max && p->va >= (back + 1) * PGSIZE) {
        struct page *q = spt_find(p->vm, p->va - (back + 1) * PGSIZE);
        if (!continues_run(q, p, -(int64_t)back - 1))
            break;
        before[back++] = q;
    }
    size_t n = 0;
    for (size_t i = back; i-- > 0;)
        run[n++] = before[i];
    *at = n;
    run[n++] = p;
    for (size_t i = 0; i < fwd; i++)
        run[n++] = after[i];
    return n;
}

/* Load swapped-out P together with its read-ahead run, in one request.
 * P's frame may evict; the neighbours take only frames already free
 * (read-ahead never evicts), so the run shrinks to the pages around P
 * that got one.  A failed request is retried for P alone, so that a bad
 * neighbour does not cost P its contents.  Each page read is installed
 * (frame_install), and only then gives up its slot hold; a neighbour that
 * cannot be mapped (no page-table page) simply stays swapped out.  FAULT_IO when P's slot
 * cannot be read, FAULT_NO_MEMORY when no frame or page-table page can be
 * had for P, which then is as it was.  VM lock held; sleeps on the
 * disk. */
static enum fault_verdict load_swapped(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct page *run[SWAP_CLUSTER_MAX];
    struct frame *fr[SWAP_CLUSTER_MAX];
    void *kvas[SWAP_CLUSTER_MAX];
    size_t at, n = readahead_run(p, kernel_options.swap_readahead, run, &at);
    if (!(fr[at] = frame_alloc(p->vm->working_set)))
        return FAULT_NO_MEMORY;
    size_t lo = at, hi = at + 1;
    while (lo > 0 && (fr[lo - 1] = frame_alloc_free()))
        lo--;
    while (hi < n && (fr[hi] = frame_alloc_free()))
        hi++;
    for (size_t i = lo; i < hi; i++)
        kvas[i] = fr[i]->kva;
    bool ok = swap_read_cluster(run[lo]->slot, &kvas[lo], hi - lo);
    if (!ok && hi - lo > 1) {
        for (size_t i = lo; i < hi; i++)
            if (i != at)
                frame_unpin(fr[i]);
        lo = at;
        hi = at + 1;
        ok = swap_read(p->slot, kvas[at]);
    }
    if (!ok) {
        frame_unpin(fr[at]);
        return FAULT_IO;
    }
    enum fault_verdict v = FAULT_RESOLVED;
    for (size_t i = lo; i < hi; i++) {
        struct page *q = run[i];
        if (frame_install(fr[i], q)) {
            swap_free(q->slot);
            q->slot = -1;
            n_readahead += q != p;
        } else if (q == p) {
            v = FAULT_NO_MEMORY;
        }
    }
    n_loads += v == FAULT_RESOLVED;
    return v;
}

/* See page.h.  VM lock held (asserted); may evict and read the disk (the
 * VM lock comes before the file-system lock, which the kind's fill
 * takes).  FAULT_IO when the kind could not read the contents,
 * FAULT_NO_MEMORY when no frame or page-table page could be had; P is then
 * as it was. */
enum fault_verdict page_load(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->slot >= 0)                       /* its contents are in that slot */
        return load_swapped(p);
    uint64_t key = p->ops->share_key ? p->ops->share_key(p) : 0;
    struct frame *f = key ? frame_find_code(key) : NULL;
    if (f) {
        frame_pin(f);                       /* another process's copy of this code */
        n_code_shares++;
    } else {
        if (!(f = frame_alloc(p->vm->working_set)))
            return FAULT_NO_MEMORY;
        if (!p->ops->fill(p, f->kva)) {
            frame_unpin(f);
            return FAULT_IO;
        }
        if (key)
            frame_add_code(f, key);
    }
    if (!frame_install(f, p))
        return FAULT_NO_MEMORY;
    n_loads++;
    return FAULT_RESOLVED;
}

/* See page.h.  VM lock held (asserted).  The copy is made with OLD pinned
 * (frame_alloc_copy); P's dirty bit is collected before its PTE goes.
 * FAULT_NO_MEMORY only when no frame can be had for the copy: P is mapped
 * already, so its page table exists and mapping it again allocates
 * nothing (page tables last as long as their address space). */
enum fault_verdict page_unshare(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *old = p->frame;
    if (frame_holders(old) == 1) {          /* the last holder: no copy */
        n_cow_reuses++;
        bool remapped = frame_map_page(p);
        ASSERT(remapped);
        return FAULT_RESOLVED;
    }
    struct frame *copy = frame_alloc_copy(old, p->vm->working_set);
    if (!copy)
        return FAULT_NO_MEMORY;
    page_collect_dirty(p, pte_of(p));
    pt_unmap(p->vm->pml4, p->va);
    frame_detach(p);                        /* OLD stays: others hold it */
    bool installed = frame_install(copy, p);
    ASSERT(installed);
    n_cow_breaks++;
    return FAULT_RESOLVED;
}

/* See page.h.  VM lock held (asserted). */
enum fault_verdict page_touch(struct vm *vm, struct region *r, uint64_t va, struct page **out)
{
    ASSERT_DEBUG(vm_lock_held());
    *out = NULL;
    struct page *p = region_make_page(r, vm, va);
    if (!p)
        return FAULT_NO_MEMORY;
    enum fault_verdict v = page_load(p);
    if (v != FAULT_RESOLVED) {
        page_free(p);                       /* it holds nothing: no frame came */
        return v;
    }
    *out = p;
    return v;
}

/* See page.h.  No lock: a pure function of ADDR and RSP.  A push faults 8
 * bytes below rsp, so the stack may grow to rsp - 8 and no further. */
bool stack_growth_ok(uint64_t addr, uint64_t rsp)
{
    return addr >= USER_STACK_LIMIT && addr < USER_STACK && addr + 8 >= rsp;
}

/* See page.h.  VM lock held (asserted). */
struct page *stack_grow(struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    struct page *p = spt_add(vm, va, true, &anon_ops);
    n_stack += p != NULL;
    return p;
}

/* See page.h.  VM lock held (asserted). */
void page_release(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->frame)
        frame_detach(p);
    if (p->slot >= 0) {
        swap_free(p->slot);
        p->slot = -1;
    }
    if (p->ops->destroy)
        p->ops->destroy(p);
}

/* See page.h.  VM lock held (asserted).  A block's records are counted
 * (its used field) so that the walk ends at its last page. */
void page_release_all(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    struct hash_iter it;
    for (struct spt_block *b = spt_first(vm, &it); b; b = spt_next(vm, &it)) {
        int left = b->used;
        for (int i = 0; left > 0 && i < SPT_BLOCK_PAGES; i++) {
            struct page *p = &b->page[i];
            if (!p->ops)
                continue;
            if (page_holds_anything(p))
                page_release(p);
            left--;
        }
    }
}

/* See page.h.  VM lock held (asserted). */
void page_free(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->frame)
        pt_unmap(p->vm->pml4, p->va);
    page_release(p);
    spt_remove(p);
}
