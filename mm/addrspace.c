/* Address spaces (see vm.h): the VM layer's boot, address-space
 * creation, fork copy, destruction, and pinned access for system calls.
 * The supplemental page table and the VM lock are mm/spt.c; the loader's entries
 * (vm_add_exec_piece, vm_add_zero_page) are with their page kinds,
 * mm/exec_page.c and mm/anon_page.c. */
#include "mm/vm.h"
#include "fs/file.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "kernel/palloc.h"
#include "mm/swap.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

static size_t n_shared;
static size_t count_shared(void) { return n_shared; }

/* The kernel-memory limit of one process, in bytes, and the most any
 * process has held (docs/vm.md, "Kernel memory"); changed under the VM
 * lock. */
static size_t kmem_limit, kmem_peak;
static size_t count_kmem_peak(void) { return kmem_peak; }

/* The default limit: a quarter of the kernel pool, so that no one
 * process can take the pool that page tables, thread stacks and the file
 * system's buffers of every process come from. */
#define KMEM_LIMIT_SHARE 4

/* See vm_internal.h.  VM lock held (asserted). */
bool vm_charge(struct vm *vm, size_t bytes)
{
    ASSERT_DEBUG(vm_lock_held());
    if (vm->kmem + bytes > kmem_limit) {
        vm->kmem_refused = true;
        if (!vm->kmem_logged)
            printk("vm: a process at %zu of its %zu KiB of kernel memory was refused %zu bytes\n",
                   vm->kmem / 1024, kmem_limit / 1024, bytes);
        vm->kmem_logged = true;
        return false;
    }
    vm->kmem += bytes;
    if (vm->kmem > kmem_peak)
        kmem_peak = vm->kmem;
    return true;
}

/* See vm_internal.h.  VM lock held (asserted). */
void vm_uncharge(struct vm *vm, size_t bytes)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(vm->kmem >= bytes);
    vm->kmem -= bytes;
}

/* See vm_internal.h.  VM lock held (asserted).  A walk that fails half
 * way leaves the tables it made, charged: they last as long as VM. */
uint64_t *vm_make_tables(struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    uint64_t *pte = pt_walk(vm->pml4, va, false);
    if (pte)
        return pte;                         /* the common case: all there */
    int missing = pt_missing_tables(vm->pml4, va);
    if (!vm_charge(vm, missing * PGSIZE))
        return NULL;
    pte = pt_walk(vm->pml4, va, true);
    int made = missing - pt_missing_tables(vm->pml4, va);
    vm_uncharge(vm, (size_t)(missing - made) * PGSIZE);
    vm->pt_pages += made;
    return pte;
}

/* Boot, before any process: the VM lock, frames, swap, the page-record
 * blocks and the accounting's counters.  No lock: nothing runs in the VM
 * yet. */
void vm_init(void)
{
    lock_init_timed(&vm_lock, "vm_lock_max_hold");
    frame_init();
    swap_init();
    spt_init();
    page_init();
    fault_init();
    oom_init();
    accounting_register_counter("cow_shared", count_shared);
    accounting_register_counter("kmem_peak_proc", count_kmem_peak);
    kmem_limit = kernel_options.kmem_limit
        ? kernel_options.kmem_limit * 1024
        : palloc_kernel_total() / KMEM_LIMIT_SHARE * PGSIZE;
    printk("vm: a process may hold %zu KiB of kernel memory\n", kmem_limit / 1024);
}

/* --- address spaces --- */

/* See vm.h: an empty address space whose kernel half is shared; false when
 * out of memory (VM then holds nothing).  Takes the VM lock only to
 * enter VM on the out-of-memory killer's list. */
bool vm_create(struct vm *vm)
{
    vm->regions = NULL;
    vm->n_regions = vm->cap_regions = 0;
    memset(&vm->streak, 0, sizeof vm->streak);
    vm->working_set = 0;
    vm->kmem = PGSIZE;                      /* the PML4 */
    vm->pt_pages = 0;
    vm->kmem_refused = vm->kmem_logged = false;
    vm->pml4 = pml4_create();
    if (!vm->pml4)
        return false;
    if (!spt_create(vm)) {
        pml4_destroy(vm->pml4);
        vm->pml4 = NULL;
        return false;
    }
    lock_acquire(&vm_lock);
    oom_add(vm);
    lock_release(&vm_lock);
    return true;
}

/* Load VM's page tables (the kernel's when VM is NULL).  No lock: only the
 * running thread's own vm, or a switch to it, calls this. */
void vm_activate(struct vm *vm)
{
    pml4_activate(vm ? vm->pml4 : NULL);
}

/* See vm.h.  Accepts a vm that vm_create never finished, or that vm_copy
 * half built.  Takes the VM lock; VM must not be active unless its own
 * thread runs this (pml4_destroy then switches to the kernel's tables). */
void vm_destroy(struct vm *vm)
{
    if (!vm->pml4)
        return;
    lock_acquire(&vm_lock);
    oom_remove(vm);
    mmap_write_back_all(vm);
    /* The table and the page tables go whole: no page is taken out of
     * either one by one. */
    page_release_all(vm);
    spt_destroy(vm);
    region_destroy_all(vm);
    /* Everything but the page tables and the PML4 has been uncharged. */
    ASSERT(vm->kmem == (vm->pt_pages + 1) * PGSIZE);
    lock_release(&vm_lock);
    uint64_t *pml4 = vm->pml4;
    vm->pml4 = NULL;                        /* vm_activate(vm) now loads the kernel's */
    pml4_destroy(pml4);
}

/* Eager copy (cow=0): DST (a fresh page of the child) gets the contents of
 * SRC in a frame of its own; swapped-out pages are read back, pages never
 * loaded stay lazy.  VM lock held; false when no frame or page-table page
 * can be had (DST then holds no frame). */
static bool copy_contents(struct page *dst, struct page *src)
{
    struct frame *f;
    if (src->frame) {
        if (!(f = frame_alloc_copy(src->frame, 0)))
            return false;
        dst->dirty = page_collect_dirty(src, pte_of(src));
    } else if (src->slot >= 0) {
        if (!(f = frame_alloc(0)))
            return false;
        if (!swap_read(src->slot, f->kva)) {
            frame_unpin(f);
            return false;
        }
        dst->dirty = true;                  /* its only copy is this frame */
    } else {
        return true;                        /* still lazy: stays lazy */
    }
    return frame_install(f, dst);
}

/* fork refuses to start when fewer frames and swap slots than this are
 * left: a child that shares everything still needs a few pages of its
 * own at once (its stack, the data it writes first), and a fork that
 * succeeds only for its child to be killed on its first write helps
 * nobody.  It also ends fork bombs by a failed fork rather than by kills
 * that leave orphans running. */
#define FORK_RESERVE 16

/* Fork one block: DST's copy of SB, a block of SRC.  Copy-on-write shares
 * every resident page's frame (under the VM lock a page has a frame
 * exactly when its PTE is present, which the loop asserts) and every
 * swapped-out page's slot; eager copying gives the child copies of both.
 * Pages not yet loaded stay lazy.  The block lies inside one page table of
 * each process, so one walk finds all 32 PTEs.  On failure DST holds a
 * part that vm_destroy frees (records not yet copied have zeroed kind
 * data, which their destroy accepts).  VM lock held. */
static bool copy_block(struct vm *dst, struct vm *src, struct spt_block *sb, bool eager)
{
    struct spt_block *db = spt_copy_block(dst, sb);
    if (!db)
        return false;
    /* The page table holding the block's 32 PTEs, in each process. */
    uint64_t *src_ptes = eager ? NULL : pt_walk(src->pml4, sb->elem.key, false);
    uint64_t *dst_ptes = NULL;
    for (int i = 0; i < SPT_BLOCK_PAGES; i++) {
        struct page *s = &sb->page[i], *d = &db->page[i];
        if (!s->ops)
            continue;
        if (s->ops->copy && !s->ops->copy(d, s))
            return false;
        if (eager) {
            if (!copy_contents(d, s))
                return false;
        } else if (s->frame) {
            ASSERT(src_ptes && (src_ptes[i] & PTE_P));
            if (!dst_ptes && !(dst_ptes = vm_make_tables(dst, sb->elem.key)))
                return false;
            frame_share(s, &src_ptes[i], d, &dst_ptes[i]);
            n_shared++;
        } else if (s->slot >= 0) {
            d->slot = swap_dup(s->slot);
        }
    }
    return true;
}

/* See vm.h.  Takes the VM lock; the parent's TLB is flushed once at the
 * end, for every PTE turned read-only. */
bool vm_copy(struct vm *dst, struct vm *src)
{
    lock_acquire(&vm_lock);
    if (palloc_user_total() - palloc_user_used() + swap_slots_free() < FORK_RESERVE) {
        lock_release(&vm_lock);
        return false;
    }
    /* Size the child's table for all its blocks at once.  Best effort:
     * when memory is short the table grows as the blocks go in, or works
     * with longer chains, so a failure here is no reason to fail fork. */
    if (!hash_reserve(&dst->spt, hash_size(&src->spt)))
        DEBUG(DBG_VM, "fork: no memory to size the page table's hash; it grows instead\n");
    bool ok = region_copy_all(dst, src);
    struct hash_iter it;
    for (struct spt_block *b = spt_first(src, &it); ok && b; b = spt_next(src, &it))
        ok = copy_block(dst, src, b, kernel_options.eager_fork);
    pml4_flush(src->pml4);                  /* the parent's pages turned read-only */
    lock_release(&vm_lock);
    return ok;
}

/* --- system-call access --- */

/* See vm.h.  Takes the VM lock. */
bool vm_access_ok(struct vm *vm, uint64_t va, bool write, uint64_t rsp)
{
    if (va >= USER_TOP)
        return false;
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    struct region *r = p ? NULL : region_find(vm, va);
    bool ok = p ? (!write || p->writable)
            : r ? (!write || r->writable) : stack_growth_ok(va, rsp);
    lock_release(&vm_lock);
    return ok;
}

/* vm_pin's work once the VM lock is held: VA's page brought in (grown
 * for the stack when RSP allows), unshared for a WRITE and pinned, its
 * frame's alias in *KVA; returns the verdict a fault on it would get.  VM
 * lock held (asserted). */
static enum fault_verdict pin_page(struct vm *vm, uint64_t va, bool write, uint64_t rsp,
                                   void **kva)
{
    ASSERT_DEBUG(vm_lock_held());
    enum fault_verdict v;
    struct page *p = spt_find(vm, va);
    struct region *r = p ? NULL : region_find(vm, va);
    if (r && write && !r->writable)
        return FAULT_READ_ONLY;
    if (r && (v = page_touch(vm, r, va, &p)) != FAULT_RESOLVED)
        return v;                           /* first touch of a mapping's page */
    if (!p && stack_growth_ok(va, rsp) && !(p = stack_grow(vm, pg_round_down(va))))
        return FAULT_NO_MEMORY;
    if (!p)
        return FAULT_NO_PAGE;
    if (write && !p->writable)
        return FAULT_READ_ONLY;
    if (!p->frame && (v = page_load(p)) != FAULT_RESOLVED)
        return v;
    /* The kernel writes through its own alias, past the read-only PTE of
     * a shared frame: unshare first. */
    if (write && frame_holders(p->frame) > 1 && (v = page_unshare(p)) != FAULT_RESOLVED)
        return v;
    frame_pin(p->frame);
    if (write)
        p->dirty = true;                   /* the kernel writes via its alias */
    *kva = p->frame->kva;
    return FAULT_RESOLVED;
}

/* See vm.h.  Takes the VM lock and never holds it on return: the frame
 * stays pinned, not locked, while the caller copies (and may sleep on the
 * console or the file system). */
void *vm_pin(struct vm *vm, uint64_t va, bool write, uint64_t rsp, enum fault_verdict *why)
{
    enum fault_verdict v = FAULT_OUTSIDE_USER;
    void *kva = NULL;
    if (va < USER_TOP) {
        lock_acquire(&vm_lock);
        vm->kmem_refused = false;
        v = vm_limit_verdict(vm, pin_page(vm, va, write, rsp, &kva));
        lock_release(&vm_lock);
    }
    if (why)
        *why = v;
    return v == FAULT_RESOLVED ? (char *)kva + pg_ofs(va) : NULL;
}

/* Undo vm_pin of VA, which must be pinned.  Takes the VM lock. */
void vm_unpin(struct vm *vm, uint64_t va)
{
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    ASSERT(p && p->frame);
    frame_unpin(p->frame);
    lock_release(&vm_lock);
}

/* See vm.h.  Takes the VM lock. */
uint64_t vm_frame_phys(struct vm *vm, uint64_t va)
{
    if (va >= USER_TOP)
        return 0;
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    uint64_t pa = p && p->frame ? vtop(p->frame->kva) : 0;
    lock_release(&vm_lock);
    return pa;
}
