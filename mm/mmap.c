/* File mappings: mmap and munmap (see vm.h and docs/vm.md).
 *
 * A mapping holds its own handle on the file (file_reopen), so closing or
 * removing the file leaves it working; a writable mapping's handle also
 * keeps the file from running as a program (file_map_writable), so that
 * its dirty pages can always be written back.  Its pages are file pages, loaded
 * on first touch; bytes past the end of the file (as it was at mmap time)
 * read as zeros and are never written back. */
#include "fs/file.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "mm/frame.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* VM's mapping that starts at START, or NULL.  VM lock held (asserted). */
struct mapping *mmap_find(struct vm *vm, uint64_t start)
{
    ASSERT_DEBUG(vm_lock_held());
    for (struct list_elem *e = list_begin(&vm->mappings); e != list_end(&vm->mappings); e = list_next(e)) {
        struct mapping *m = list_entry(e, struct mapping, elem);
        if (m->start == start)
            return m;
    }
    return NULL;
}

/* Is [ADDR, ADDR + LENGTH) a place a new mapping may go: page-aligned,
 * inside user space, clear of the stack's reserved range and of every page
 * VM has?  VM lock held. */
static bool range_free(struct vm *vm, uint64_t addr, size_t length)
{
    uint64_t end = addr + pg_round_up(length);
    if (addr == 0 || pg_ofs(addr) || length == 0 || end <= addr || end > USER_TOP)
        return false;
    if (addr < USER_STACK && end > USER_STACK_LIMIT)
        return false;                       /* the stack's reserved range */
    for (uint64_t va = addr; va < end; va += PGSIZE)
        if (spt_find(vm, va))
            return false;
    return true;
}

/* Free the pages of M, writing dirty ones back to the file, then M and its
 * handle.  The write-backs go through the file system's cache in address
 * order, so consecutive dirty pages reach the disk as the cache's
 * multi-block write-back runs.  A write-back that falls short (logged by
 * the kind) loses that page's changes, logged here too: the mapping is
 * going and nothing can keep them.  Accepts a mapping whose pages are not
 * all made yet (a failed vm_mmap).  VM lock held; takes the file-system
 * lock for the write-back. */
static void unmap(struct vm *vm, struct mapping *m)
{
    for (size_t i = 0; i < m->n_pages; i++) {
        struct page *p = spt_find(vm, m->start + i * PGSIZE);
        if (!p)
            continue;
        if (p->frame) {
            bool dirty = page_collect_dirty(p, pte_of(p));
            frame_pin(p->frame);
            pt_unmap(vm->pml4, p->va);
            if (p->ops->save_plan(p, dirty) == SAVE_WRITE_BACK
                && !p->ops->swap_out(p, p->frame->kva, dirty, -1))
                printk("vm: munmap: the changes to mapped page 0x%lx are lost\n", p->va);
            frame_unpin(p->frame);
        }
        page_free(p);
    }
    file_close(m->file);
    list_remove(&m->elem);
    kfree(m);
}

/* See vm.h.  Takes the VM lock. */
uint64_t vm_mmap(struct vm *vm, uint64_t addr, size_t length, bool writable,
                 struct file *file, off_t offset)
{
    if (offset < 0 || pg_ofs(offset))
        return 0;
    lock_acquire(&vm_lock);
    uint64_t result = 0;
    off_t flen = file_length(file);
    struct mapping *m = NULL;
    if (flen <= 0 || !range_free(vm, addr, length))
        goto out;
    if (!(m = kzalloc(sizeof *m)))
        goto out;
    /* A running program is never mapped writable (see file.h). */
    m->file = file_reopen(file);
    if (!m->file || (writable && !file_map_writable(m->file))) {
        file_close(m->file);                /* NULL is ignored */
        kfree(m);
        goto out;
    }
    m->writable = writable;
    m->start = addr;
    m->n_pages = pg_round_up(length) / PGSIZE;
    list_push_back(&vm->mappings, &m->elem);

    /* File bytes the mapping covers: LENGTH, cut at the end of the file. */
    uint64_t data = offset < flen ? (uint64_t)(flen - offset) : 0;
    if (data > length)
        data = length;
    for (size_t i = 0; i < m->n_pages; i++) {
        struct page *p = spt_add(vm, addr + i * PGSIZE, writable, &file_ops);
        if (!p)
            goto fail;
        uint64_t at = i * PGSIZE;
        p->mmap.mapping = m;
        p->mmap.ofs = offset + at;
        p->mmap.bytes = at < data ? (data - at < PGSIZE ? data - at : PGSIZE) : 0;
    }
    result = addr;
    goto out;
fail:
    unmap(vm, m);                           /* frees the pages made so far */
out:
    lock_release(&vm_lock);
    return result;
}

/* See vm.h: an address where no mapping starts is ignored.  Takes the VM
 * lock. */
void vm_munmap(struct vm *vm, uint64_t addr)
{
    lock_acquire(&vm_lock);
    struct mapping *m = mmap_find(vm, addr);
    if (m)
        unmap(vm, m);
    lock_release(&vm_lock);
}

/* Fork: give DST a mapping for each of SRC's, each with its own handle on
 * the file, before the pages are copied; false when out of memory (DST
 * then holds those made, which vm_destroy frees).  VM lock held
 * (asserted). */
bool mmap_copy_all(struct vm *dst, struct vm *src)
{
    ASSERT_DEBUG(vm_lock_held());
    for (struct list_elem *e = list_begin(&src->mappings); e != list_end(&src->mappings); e = list_next(e)) {
        struct mapping *s = list_entry(e, struct mapping, elem);
        struct mapping *d = kzalloc(sizeof *d);
        if (!d)
            return false;
        d->start = s->start;
        d->n_pages = s->n_pages;
        d->file = file_reopen(s->file);
        /* S's count keeps denies off the inode, so this one succeeds. */
        if (!d->file || (s->writable && !file_map_writable(d->file))) {
            file_close(d->file);
            kfree(d);
            return false;
        }
        d->writable = s->writable;
        list_push_back(&dst->mappings, &d->elem);
    }
    return true;
}

/* Unmap every mapping of VM, writing dirty pages back.  VM lock held
 * (asserted). */
void mmap_destroy_all(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    while (!list_empty(&vm->mappings))
        unmap(vm, list_entry(list_front(&vm->mappings), struct mapping, elem));
}
