/* Per-process virtual memory (see vm.h): the supplemental page table,
 * address-space creation, fork copy, destruction, and pinned access for
 * system calls. */
#include "mm/vm.h"
#include "fs/file.h"
#include "kernel/accounting.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/palloc.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

struct lock vm_lock;
static size_t n_shared;
static size_t count_shared(void) { return n_shared; }

void vm_fault_init(void);

void vm_init(void)
{
    lock_init(&vm_lock);
    frame_init();
    swap_init();
    page_init();
    vm_fault_init();
    accounting_register_counter("cow_shared", count_shared);
}

bool vm_lock_held(void) { return lock_held_by_current_thread(&vm_lock); }

/* --- the supplemental page table --- */

struct page *spt_find(struct vm *vm, uint64_t va)
{
    struct hash_elem *e = hash_find(&vm->pages, pg_round_down(va));
    return e ? hash_entry(e, struct page, elem) : NULL;
}

bool spt_insert(struct vm *vm, struct page *p)
{
    return hash_insert(&vm->pages, &p->elem);
}

void spt_remove(struct vm *vm, struct page *p)
{
    hash_remove(&vm->pages, &p->elem);
}

/* --- address spaces --- */

bool vm_create(struct vm *vm)
{
    list_init(&vm->mappings);
    vm->pml4 = pml4_create();
    if (!vm->pml4)
        return false;
    if (!hash_init(&vm->pages)) {
        pml4_destroy(vm->pml4);
        vm->pml4 = NULL;
        return false;
    }
    return true;
}

uint64_t *vm_pml4(struct vm *vm) { return vm->pml4; }

void vm_activate(struct vm *vm)
{
    pml4_activate(vm ? vm->pml4 : NULL);
}

void vm_destroy(struct vm *vm)
{
    if (!vm->pml4)
        return;
    lock_acquire(&vm_lock);
    mmap_destroy_all(vm);
    /* The table and the page tables go whole: no page is taken out of
     * either one by one.  The iterator has stepped past E before E goes. */
    struct hash_iter it;
    for (struct hash_elem *e = hash_first(&vm->pages, &it); e; e = hash_next(&vm->pages, &it))
        page_free(hash_entry(e, struct page, elem), false);
    lock_release(&vm_lock);
    hash_destroy(&vm->pages);
    pml4_destroy(vm->pml4);
    vm->pml4 = NULL;
}

/* Copy-on-write for a page that is not resident: DST (a fresh page of the
 * child) shares SRC's swap slot when it has one; a lazy page stays lazy.
 * Resident pages are shared by share_resident(). */
static bool share_contents(struct page *dst, struct page *src)
{
    if (src->slot >= 0)
        dst->slot = swap_dup(src->slot);
    return true;
}

/* The child's record of SRC's page in DST: same address, kind and kind
 * data; no contents yet.  NULL when out of memory. */
static struct page *copy_record(struct vm *dst, struct page *src)
{
    struct page *d = page_new(dst, src->va, src->writable, src->ops);
    if (!d || !src->ops->copy(d, src)) {
        page_discard(d);
        return NULL;
    }
    spt_insert(dst, d);
    return d;
}

/* Copy-on-write, for every present PTE of the parent in address order
 * (the resident pages: under the VM lock a page has a frame exactly when
 * its PTE is present): the child's record shares the frame. */
static bool share_resident(uint64_t va, uint64_t *spte, uint64_t *dpte, void *aux)
{
    struct vm **vms = aux;                  /* { dst, src } */
    struct page *s = spt_find(vms[1], va);
    ASSERT(s && s->frame);
    struct page *d = copy_record(vms[0], s);
    if (!d)
        return false;
    frame_share(s, spte, d, dpte);
    n_shared++;
    return true;
}

/* Eager copy (cow=0): DST (a fresh page of the child) gets the contents
 * of SRC in a frame of its own; swapped-out pages are read back. */
static bool copy_contents(struct page *dst, struct page *src)
{
    if (!src->frame && src->slot < 0)
        return true;                        /* still lazy: stays lazy */
    if (src->frame)
        frame_pin(src->frame);              /* not evicted while we copy */
    struct frame *f = frame_alloc();
    bool ok = f != NULL;
    if (ok && src->frame) {
        memcpy(f->kva, src->frame->kva, PGSIZE);
        uint64_t *pte = pt_walk(src->vm->pml4, src->va, false);
        dst->dirty = src->dirty || (pte && (*pte & PTE_D));
    } else if (ok) {
        ok = swap_read(src->slot, f->kva);
        dst->dirty = true;                  /* its only copy is this frame */
    }
    if (src->frame)
        frame_unpin(src->frame);
    if (!ok) {
        if (f)
            frame_unpin(f);
        return false;
    }
    frame_attach(f, dst);
    ok = frame_map_page(dst);
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

bool vm_copy(struct vm *dst, struct vm *src)
{
    if (palloc_user_total() - palloc_user_used() + swap_slots_free() < FORK_RESERVE)
        return false;
    lock_acquire(&vm_lock);
    hash_reserve(&dst->pages, hash_size(&src->pages));
    bool ok = mmap_copy_all(dst, src);
    bool eager = kernel_options.eager_fork;
    if (ok && !eager) {
        struct vm *vms[2] = { dst, src };
        ok = pt_for_each_user_pair(dst->pml4, src->pml4, share_resident, vms);
    }
    struct hash_iter it;
    for (struct hash_elem *e = hash_first(&src->pages, &it); ok && e; e = hash_next(&src->pages, &it)) {
        struct page *s = hash_entry(e, struct page, elem);
        if (!eager && s->frame)
            continue;                       /* shared above */
        struct page *d = copy_record(dst, s);
        ok = d && (eager ? copy_contents(d, s) : share_contents(d, s));
    }
    pml4_flush(src->pml4);                  /* the parent's pages turned read-only */
    lock_release(&vm_lock);
    return ok;
}

/* --- building an image --- */

bool vm_add_exec_piece(struct vm *vm, uint64_t va, bool writable, struct file *file,
                       off_t file_ofs, size_t page_ofs, size_t len)
{
    lock_acquire(&vm_lock);
    bool ok = false;
    struct page *p = spt_find(vm, va);
    if (!p) {
        p = page_new(vm, va, writable, &exec_ops);
        if (!p)
            goto out;
        spt_insert(vm, p);
    }
    p->writable |= writable;
    if (p->ops == &anon_ops) {              /* a zero page gains file bytes */
        ASSERT(!p->frame && p->slot < 0);
        p->ops = &exec_ops;
        p->load = NULL;
    }
    if (!p->load) {
        p->load = kzalloc(sizeof *p->load);
        if (!p->load || !(p->load->file = file_reopen(file))) {
            kfree(p->load);
            p->load = NULL;
            p->ops = &anon_ops;
            goto out;
        }
    }
    struct load_record *r = p->load;
    if (r->n == LOAD_MAX_PIECES)
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

bool vm_add_zero_page(struct vm *vm, uint64_t va, bool writable)
{
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    bool ok = true;
    if (p) {
        p->writable |= writable;
    } else if ((p = page_new(vm, va, writable, &anon_ops)) != NULL) {
        spt_insert(vm, p);
    } else {
        ok = false;
    }
    lock_release(&vm_lock);
    return ok;
}

/* --- system-call access --- */

bool vm_check(struct vm *vm, uint64_t va, bool write, uint64_t rsp)
{
    if (va >= USER_TOP)
        return false;
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    bool ok = p ? (!write || p->writable) : stack_growth_ok(va, rsp);
    lock_release(&vm_lock);
    return ok;
}

void *vm_pin(struct vm *vm, uint64_t va, bool write, uint64_t rsp)
{
    if (va >= USER_TOP)
        return NULL;
    lock_acquire(&vm_lock);
    void *kva = NULL;
    struct page *p = spt_find(vm, va);
    if (!p && stack_growth_ok(va, rsp))
        p = stack_grow(vm, pg_round_down(va));
    if (!p || (write && !p->writable))
        goto out;
    if (!p->frame && page_load(p, false) != FAULT_RESOLVED)
        goto out;
    /* The kernel writes through its own alias, past the read-only PTE of
     * a shared frame: unshare first. */
    if (write && frame_holders(p->frame) > 1 && page_unshare(p) != FAULT_RESOLVED)
        goto out;
    frame_pin(p->frame);
    if (write)
        p->dirty = true;                   /* the kernel writes via its alias */
    kva = (char *)p->frame->kva + pg_ofs(va);
out:
    lock_release(&vm_lock);
    return kva;
}

void vm_unpin(struct vm *vm, uint64_t va)
{
    lock_acquire(&vm_lock);
    struct page *p = spt_find(vm, va);
    ASSERT(p && p->frame);
    frame_unpin(p->frame);
    lock_release(&vm_lock);
}

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
