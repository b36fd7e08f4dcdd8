/* Pages of an executable (the exec kind of page.h): loaded on first touch
 * from one or more pieces of the file (segments may share a page), which
 * the loader adds with vm_add_exec_piece; a clean one is dropped on
 * eviction, a dirty one goes to swap and is anonymous from then on.
 * Read-only ones are shared between the processes that run the same
 * program (share_key).  Every function runs with the VM lock held
 * (asserted) unless it says so. */
#include "fs/file.h"
#include "fs/inode.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* What an exec_source costs its process's kernel memory: the record and
 * its file handle. */
#define EXEC_SOURCE_COST (sizeof(struct exec_source) + VM_FILE_HANDLE_COST)

/* exec's fill: zero the frame, then read each piece of the executable.
 * VM lock held (asserted); takes the file-system lock. */
static bool exec_fill(struct page *p, void *kva)
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
        vm_uncharge(p->vm, EXEC_SOURCE_COST);
    }
}

/* exec's save_plan: a clean page is dropped (it reloads from the file), a
 * dirty one goes to swap.  No lock: a function of DIRTY. */
static enum page_save exec_save_plan(const struct page *p, bool dirty)
{
    (void)p;
    return dirty ? SAVE_SWAP : SAVE_DROP;
}

/* exec's evict: dropped (SLOT -1), or in SLOT and anonymous from then on.
 * VM lock held (asserted); never fails. */
static bool exec_evict(struct page *p, void *kva, bool dirty, int64_t slot)
{
    ASSERT_DEBUG(vm_lock_held());
    (void)kva;
    ASSERT((slot >= 0) == dirty);
    if (slot < 0)
        return true;
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
    if (!vm_charge(dst->vm, EXEC_SOURCE_COST))
        return false;
    struct exec_source *r = kmalloc(sizeof *r);
    if (!r)
        goto fail;
    *r = *src->exec;
    r->file = file_reopen(src->exec->file);
    if (!r->file) {
        kfree(r);
        goto fail;
    }
    dst->exec = r;
    return true;
fail:
    vm_uncharge(dst->vm, EXEC_SOURCE_COST);
    return false;
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
    .name = "exec",
    .fill = exec_fill,
    .save_plan = exec_save_plan,
    .evict = exec_evict,
    .destroy = exec_destroy,
    .copy = exec_copy,
    .share_key = exec_share_key,
};

/* A new exec_source with no pieces and its own handle on FILE, charged
 * to VM; NULL when out of memory or at VM's limit.  VM lock held. */
static struct exec_source *exec_source_new(struct vm *vm, struct file *file)
{
    if (!vm_charge(vm, EXEC_SOURCE_COST))
        return NULL;
    struct exec_source *src = kzalloc(sizeof *src);
    if (!src)
        goto fail;
    src->file = file_reopen(file);
    if (!src->file) {
        kfree(src);
        goto fail;
    }
    return src;
fail:
    vm_uncharge(vm, EXEC_SOURCE_COST);
    return NULL;
}

/* See vm.h: false when out of memory, or when a page would have more than
 * EXEC_MAX_PIECES pieces.  Takes the VM lock, and the file-system lock
 * inside it (file_reopen): the order of vm.h. */
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
    if (!p->exec && !(p->exec = exec_source_new(vm, file))) {
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
