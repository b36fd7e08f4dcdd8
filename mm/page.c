/* Pages (see page.h): their life in and out of frames (loading, the
 * copy-on-write break, stack growth, release) and the three kinds'
 * operations: anon, exec and file.  Every function runs with the VM lock
 * held. */
#include "mm/page.h"
#include "fs/file.h"
#include "fs/inode.h"
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/spt.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

static size_t n_loads, n_stack, n_code_shares, n_cow_breaks, n_cow_reuses;
static size_t count_loads(void) { return n_loads; }
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
}

/* --- in and out of frames --- */

/* See page.h.  VM lock held (asserted); may evict and read the disk (the
 * VM lock comes before the file-system lock, which the kind's swap_in
 * takes).  FAULT_IO when the kind could not read the contents,
 * FAULT_NO_MEMORY when no frame or page-table page could be had; P is then
 * as it was. */
enum fault_verdict page_load(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    uint64_t key = p->ops->share_key(p);
    struct frame *f = key ? frame_find_code(key) : NULL;
    if (f) {
        frame_pin(f);                       /* another process's copy of this code */
        n_code_shares++;
    } else {
        if (!(f = frame_alloc(p->vm->working_set)))
            return FAULT_NO_MEMORY;
        if (!p->ops->swap_in(p, f->kva)) {
            frame_unpin(f);
            return FAULT_IO;
        }
        if (key)
            frame_add_code(f, key);
    }
    frame_attach(f, p);
    if (!frame_map_page(p)) {
        frame_detach(p);
        frame_unpin(f);
        return FAULT_NO_MEMORY;
    }
    frame_unpin(f);
    n_loads++;
    return FAULT_RESOLVED;
}

/* See page.h.  VM lock held (asserted).  The copy is made with OLD pinned
 * (frame_alloc_copy); P's dirty bit is collected before its PTE goes.
 * When mapping the new frame fails for want of a page-table page, P keeps
 * it unmapped (FAULT_NO_MEMORY). */
enum fault_verdict page_unshare(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *old = p->frame;
    if (frame_holders(old) == 1) {          /* the last holder: no copy */
        n_cow_reuses++;
        return frame_map_page(p) ? FAULT_RESOLVED : FAULT_NO_MEMORY;
    }
    struct frame *copy = frame_alloc_copy(old, p->vm->working_set);
    if (!copy)
        return FAULT_NO_MEMORY;
    page_collect_dirty(p, pte_of(p));
    pt_unmap(p->vm->pml4, p->va);
    frame_detach(p);                        /* OLD stays: others hold it */
    frame_attach(copy, p);
    bool ok = frame_map_page(p);
    frame_unpin(copy);
    n_cow_breaks++;
    return ok ? FAULT_RESOLVED : FAULT_NO_MEMORY;
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

/* See page.h.  VM lock held (asserted). */
void page_free(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->frame)
        pt_unmap(p->vm->pml4, p->va);
    page_release(p);
    spt_remove(p);
}

/* --- anon: zero on first touch, swap after --- */

/* anon's swap_in: zeros on first touch, else the swap slot, which the page
 * then gives up.  VM lock held (asserted). */
static bool anon_swap_in(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->slot < 0) {
        memset(kva, 0, PGSIZE);
        return true;
    }
    if (!swap_read(p->slot, kva))
        return false;
    swap_free(p->slot);
    p->slot = -1;
    return true;
}

/* anon's swap_out: to a new swap slot, whatever DIRTY says (anonymous
 * memory has no other copy); false when the swap disk is full.  VM lock
 * held (asserted). */
static bool anon_swap_out(struct page *p, void *kva, bool dirty)
{
    ASSERT_DEBUG(vm_lock_held());
    (void)dirty;                 /* anonymous memory has no other copy */
    p->slot = swap_write(kva);
    return p->slot >= 0;
}

/* The share_key of kinds whose frames are never shared between processes:
 * 0.  No lock. */
static uint64_t no_share_key(const struct page *p)
{
    (void)p;
    return 0;
}

const struct page_ops anon_ops = {
    "anon", anon_swap_in, anon_swap_out, NULL, NULL, no_share_key,
};

/* --- exec: loaded from the executable's pieces --- */

/* exec's swap_in: zero the frame, then read each piece of the executable.
 * VM lock held (asserted); takes the file-system lock. */
static bool exec_swap_in(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    struct exec_source *r = p->exec;
    memset(kva, 0, PGSIZE);
    for (int i = 0; i < r->n; i++)
        if (file_read_at(r->file, (char *)kva + r->piece[i].page_ofs, r->piece[i].len,
                         r->piece[i].file_ofs) != r->piece[i].len)
            return false;
    return true;
}

/* exec's destroy: close and free P's exec_source; accepts a page whose
 * source is still NULL (a fork that failed before copying it).  VM lock
 * held (asserted). */
static void exec_destroy(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->exec) {
        file_close(p->exec->file);
        kfree(p->exec);
        p->exec = NULL;
    }
}

/* exec's swap_out: a clean page is dropped (it reloads from the file); a
 * dirty one goes to swap and is anonymous from then on.  VM lock held
 * (asserted). */
static bool exec_swap_out(struct page *p, void *kva, bool dirty)
{
    ASSERT_DEBUG(vm_lock_held());
    if (!dirty)
        return true;
    int64_t slot = swap_write(kva);
    if (slot < 0)
        return false;
    exec_destroy(p);
    p->ops = &anon_ops;
    p->slot = slot;
    return true;
}

/* exec's copy: DST gets its own exec_source, a copy of SRC's with its own
 * handle on the file.  VM lock held (asserted); false when out of memory. */
static bool exec_copy(struct page *dst, const struct page *src)
{
    ASSERT_DEBUG(vm_lock_held());
    struct exec_source *r = kmalloc(sizeof *r);
    if (!r)
        return false;
    *r = *src->exec;
    r->file = file_reopen(src->exec->file);
    if (!r->file) {
        kfree(r);
        return false;
    }
    dst->exec = r;
    return true;
}

/* exec's share_key: read-only pages of one executable are the same in
 * every process that runs it, so their key is the file's inode number and
 * the page address; writable pages are never shared.  VM lock held
 * (asserted). */
static uint64_t exec_share_key(const struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->writable)
        return 0;
    uint32_t inumber = inode_get_inumber(file_get_inode(p->exec->file));
    return ((uint64_t)inumber + 1) << 32 | (p->va >> PGSHIFT);
}

const struct page_ops exec_ops = {
    "exec", exec_swap_in, exec_swap_out, exec_destroy, exec_copy, exec_share_key,
};

/* --- file: a page of an mmap'ed file --- */

/* file's swap_in: the page's bytes of the file, zeros past them.  VM lock
 * held (asserted); takes the file-system lock. */
static bool file_swap_in(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    struct file *f = p->mmap.mapping->file;
    memset((char *)kva + p->mmap.bytes, 0, PGSIZE - p->mmap.bytes);
    return file_read_at(f, kva, p->mmap.bytes, p->mmap.ofs) == (off_t)p->mmap.bytes;
}

/* file's swap_out: dirty pages go back to the file, never past its end;
 * clean ones are dropped.  Never fails: a write-back that falls short (an
 * I/O error, or writes to the file denied while it runs as a program) is
 * logged, and the page goes all the same, as memory the kernel cannot keep
 * for a file that refuses it.  VM lock held (asserted); takes the
 * file-system lock. */
static bool file_swap_out(struct page *p, void *kva, bool dirty)
{
    ASSERT_DEBUG(vm_lock_held());
    if (!dirty || !p->mmap.bytes)
        return true;
    off_t written = file_write_at(p->mmap.mapping->file, kva, p->mmap.bytes, p->mmap.ofs);
    if (written != (off_t)p->mmap.bytes)
        printk("vm: write-back of mapped page 0x%lx wrote %ld of %u bytes\n",
               p->va, (long)written, (unsigned)p->mmap.bytes);
    return true;
}

/* file's copy: DST, in the child, belongs to the child's copy of the same
 * mapping (mmap_copy_all made it before the pages); false when there is
 * none.  VM lock held (asserted). */
static bool file_copy(struct page *dst, const struct page *src)
{
    ASSERT_DEBUG(vm_lock_held());
    dst->mmap = src->mmap;
    dst->mmap.mapping = mmap_find(dst->vm, src->mmap.mapping->start);
    return dst->mmap.mapping != NULL;
}

const struct page_ops file_ops = {
    "file", file_swap_in, file_swap_out, NULL, file_copy, no_share_key,   /* the mapping owns the file */
};
