/* Per-process virtual memory (see vm.h): the VM lock, address-space
 * creation, fork copy, destruction, building an image, and pinned access
 * for system calls.  The supplemental page table itself is mm/spt.c. */
#include "mm/vm.h"
#include "fs/file.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/palloc.h"
#include "mm/swap.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

struct lock vm_lock;
static size_t n_shared;
static size_t count_shared(void) { return n_shared; }

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
    accounting_register_counter("cow_shared", count_shared);
}

bool vm_lock_held(void) { return lock_held_by_current_thread(&vm_lock); }

/* --- address spaces --- */

/* See vm.h: an empty address space whose kernel half is shared; false when
 * out of memory (VM then holds nothing).  No lock: the new vm is the
 * caller's alone. */
bool vm_create(struct vm *vm)
{
    list_init(&vm->mappings);
    memset(&vm->streak, 0, sizeof vm->streak);
    vm->working_set = 0;
    vm->pml4 = pml4_create();
    if (!vm->pml4)
        return false;
    if (!spt_create(vm)) {
        pml4_destroy(vm->pml4);
        vm->pml4 = NULL;
        return false;
    }
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
    mmap_destroy_all(vm);
    /* The table and the page tables go whole: no page is taken out of
     * either one by one. */
    spt_destroy(vm);
    lock_release(&vm_lock);
    uint64_t *pml4 = vm->pml4;
    vm->pml4 = NULL;                        /* vm_activate(vm) now loads the kernel's */
    pml4_destroy(pml4);
}

/* Eager copy (cow=0): DST (a fresh page of the child) gets the contents of
 * SRC in a frame of its own; swapped-out pages are read back, pages never
 * loaded stay lazy.  VM lock held; false when no frame can be had. */
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
    frame_attach(f, dst);
    bool ok = frame_map_page(dst);
    frame_unpin(f);
    return ok;
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
            if (!dst_ptes && !(dst_ptes = pt_walk(dst->pml4, sb->elem.key, true)))
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
    bool ok = mmap_copy_all(dst, src);
    struct hash_iter it;
    for (struct spt_block *b = spt_first(src, &it); ok && b; b = spt_next(src, &it))
        ok = copy_block(dst, src, b, kernel_options.eager_fork);
    pml4_flush(src->pml4);                  /* the parent's pages turned read-only */
    lock_release(&vm_lock);
    return ok;
}

/* --- building an image --- */

/* A new exec_source with no pieces and its own handle on FILE; NULL when
 * out of memory.  No lock needed: nobody else sees it yet. */
static struct exec_source *exec_source_new(struct file *file)
{
    struct exec_source *src = kzalloc(sizeof *src);
    if (!src)
        return NULL;
    src->file = file_reopen(file);
    if (!src->file) {
        kfree(src);
        return NULL;
    }
    return src;
}

/* See vm.h: false when out of memory, or when a page would have more than
 * EXEC_MAX_PIECES pieces.  Takes the VM lock. */
bool vm_add_exec_piece(struct vm *vm, uint64_t va, bool writable, bool executable,
                       struct file *file, off_t file_ofs, size_t page_ofs, size_t len)
{
    lock_acquire(&vm_lock);
    bool ok = false;
    struct page *p = spt_find(vm, va);
    if (!p && !(p = spt_add(vm, va, writable, &exec_ops)))
        goto out;
    p->writable |= writable;
    p->executable |= executable;
    if (p->ops == &anon_ops) {              /* a zero page gains file bytes */
        ASSERT(!p->frame && p->slot < 0);
        p->ops = &exec_ops;
        p->exec = NULL;
    }
    if (!p->exec && !(p->exec = exec_source_new(file))) {
        p->ops = &anon_ops;                 /* no source: a zero page, still valid */
        goto out;
    }
    struct exec_source *r = p->exec;
    if (r->n == EXEC_MAX_PIECES)
        goto out;
    r->piece[r->n].file_ofs = file_ofs;
    r->piece[r->n].page_ofs = page_ofs;
    r->piece[r->n].len = len;
    r->n++;
    ok = true;
out:
    lock_release(&vm_lock);
    return ok;
}

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

/* --- system-call access --- */

/* See vm.h.  Takes the VM lock. */
bool vm_access_ok(struct vm *vm, uint64_t va, bool write, uint64_t rsp)
{
    if (va >= USER_TOP)
        return false;
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    bool ok = p ? (!write || p->writable) : stack_growth_ok(va, rsp);
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
        v = pin_page(vm, va, write, rsp, &kva);
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
