/* Anonymous pages (the anon kind of page.h): zeros on first touch, a swap
 * slot when evicted.  The stack's pages and an executable's pages with no
 * file bytes (vm_add_zero_page) are of this kind, and an executable's
 * page turns anonymous when it is evicted dirty (mm/exec_page.c).  Every
 * function runs with the VM lock held (asserted) unless it says so. */
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* anon's fill: zeros on first touch (a page with a swap slot loads from
 * it, through page_load's load_swapped, whatever its kind).  VM lock held
 * (asserted). */
static bool anon_fill(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(p->slot < 0);
    memset(kva, 0, PGSIZE);
    return true;
}

/* anon's save_plan: a swap slot, whatever DIRTY says (anonymous memory
 * has no other copy).  No lock: a constant. */
static enum page_save anon_save_plan(const struct page *p, bool dirty)
{
    (void)p;
    (void)dirty;
    return SAVE_SWAP;
}

/* anon's evict: P keeps SLOT, which holds its contents.  VM lock held
 * (asserted); never fails. */
static bool anon_evict(struct page *p, void *kva, bool dirty, int64_t slot)
{
    ASSERT_DEBUG(vm_lock_held());
    (void)kva;
    (void)dirty;
    ASSERT(slot >= 0 && p->slot < 0);
    p->slot = slot;
    return true;
}

/* No destroy or copy: the frame and the slot are all an anonymous page
 * holds, and page_release and vm_copy look after those.  No share_key:
 * its frame is never shared with another process's page. */
const struct page_ops anon_ops = {
    .name = "anon",
    .fill = anon_fill,
    .save_plan = anon_save_plan,
    .evict = anon_evict,
};

/* See vm.h: false when out of memory.  Takes the VM lock. */
bool vm_add_zero_page(struct vm *vm, uint64_t va, bool writable, bool executable)
{
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    if (!p)
        p = spt_add(vm, va, writable, &anon_ops);
    bool ok = p != NULL;
    if (p) {
        p->writable |= writable;
        p->executable |= executable;
    }
    lock_release(&vm_lock);
    return ok;
}

/* See vm.h.  Takes the VM lock. */
bool vm_add_zero_region(struct vm *vm, uint64_t start, uint64_t end, bool writable,
                        bool executable)
{
    ASSERT(!pg_ofs(start) && !pg_ofs(end));
    lock_acquire(&vm_lock);
    bool ok = true;
    /* An edge page another segment's region holds stays in that one. */
    if (start < end && region_find(vm, start))
        start += PGSIZE;
    if (start < end && region_find(vm, end - PGSIZE))
        end -= PGSIZE;
    if (start < end) {
        struct region *r = kzalloc(sizeof *r);
        if (r) {
            r->start = start;
            r->end = end;
            r->ops = &anon_ops;
            r->writable = writable;
            r->executable = executable;
        }
        ok = r && region_insert(vm, r);
        if (!ok)
            region_free(r);
    }
    lock_release(&vm_lock);
    return ok;
}
