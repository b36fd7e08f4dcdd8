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

/* Boot: the accounting's counters of what happens to pages. */
void page_init(void)
{
    accounting_register_counter("faults_load", count_loads);
    accounting_register_counter("faults_stack", count_stack);
    accounting_register_counter("code_shares", count_code_shares);
    accounting_register_counter("cow_breaks", count_cow_breaks);
    accounting_register_counter("cow_reuses", count_cow_reuses);
}

/* --- in and out of frames --- */

enum fault_verdict page_load(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    uint64_t key = p->ops->share_key(p);
    struct frame *f = key ? frame_find_code(key) : NULL;
    if (f) {
        frame_pin(f);                       /* another process's copy of this code */
        n_code_shares++;
    } else {
        if (!(f = frame_alloc()))
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

enum fault_verdict page_unshare(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *old = p->frame;
    if (frame_holders(old) == 1) {          /* the last holder: no copy */
        n_cow_reuses++;
        return frame_map_page(p) ? FAULT_RESOLVED : FAULT_NO_MEMORY;
    }
    struct frame *copy = frame_alloc_copy(old);
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

bool stack_growth_ok(uint64_t addr, uint64_t rsp)
{
    return addr >= USER_STACK_LIMIT && addr < USER_STACK && addr + 8 >= rsp;
}

struct page *stack_grow(struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    struct page *p = spt_add(vm, va, true, &anon_ops);
    n_stack += p != NULL;
    return p;
}

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

void page_free(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->frame)
        pt_unmap(p->vm->pml4, p->va);
    page_release(p);
    spt_remove(p);
}

/* --- anon: zero on first touch, swap after --- */

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

static bool anon_swap_out(struct page *p, void *kva, bool dirty)
{
    ASSERT_DEBUG(vm_lock_held());
    (void)dirty;                 /* anonymous memory has no other copy */
    p->slot = swap_write(kva);
    return p->slot >= 0;
}

static uint64_t no_share_key(const struct page *p)
{
    (void)p;
    return 0;
}

const struct page_ops anon_ops = {
    "anon", anon_swap_in, anon_swap_out, NULL, NULL, no_share_key,
};

/* --- exec: loaded from the executable's pieces --- */

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

static void exec_destroy(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    if (p->exec) {
        file_close(p->exec->file);
        kfree(p->exec);
        p->exec = NULL;
    }
}

/* A clean page is dropped (it reloads from the file); a dirty one goes
 * to swap and is anonymous from then on. */
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

/* Read-only pages of one executable are the same in every process that
 * runs it: key them by the file's inode number and the page address. */
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

static bool file_swap_in(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    struct file *f = p->mmap.mapping->file;
    memset((char *)kva + p->mmap.bytes, 0, PGSIZE - p->mmap.bytes);
    return file_read_at(f, kva, p->mmap.bytes, p->mmap.ofs) == (off_t)p->mmap.bytes;
}

/* Dirty pages go back to the file, never past its end; clean ones are
 * dropped.  Never fails: a write-back that falls short (an I/O error, or
 * writes to the file denied while it runs as a program) is logged, and
 * the page goes all the same, as memory the kernel cannot keep forever
 * for a file that refuses it. */
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
