/* File mappings: mmap and munmap (see vm.h and docs/vm.md).
 *
 * A mapping holds its own handle on the file (file_reopen), so closing or
 * removing the file leaves it working; a writable mapping's handle also
 * keeps the file from running as a program (file_map_writable), so that
 * its dirty pages can always be written back.  Its pages are of the file
 * kind (page.h), whose operations are here: loaded on first touch; bytes
 * past the end of the file (as it was at mmap time) read as zeros and are
 * never written back. */
#include "fs/file.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* --- the file kind: a page of a mapping --- */

/* file's fill: the page's bytes of the file, zeros past them.  VM lock
 * held (asserted); takes the file-system lock. */
static bool file_fill(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    struct file *f = p->mmap.mapping->file;
    memset((char *)kva + p->mmap.bytes, 0, PGSIZE - p->mmap.bytes);
    return file_read_at(f, kva, p->mmap.bytes, p->mmap.ofs) == (off_t)p->mmap.bytes;
}

/* file's save_plan: dirty pages go back to the file (only the bytes the
 * file had at mmap time: a page past its end has nothing to write); clean
 * ones are dropped.  No lock: a function of P's byte count and DIRTY. */
static enum page_save file_save_plan(const struct page *p, bool dirty)
{
    return dirty && p->mmap.bytes ? SAVE_WRITE_BACK : SAVE_DROP;
}

/* Write P's contents at KVA back to its file, never past the file's end
 * as it was at mmap time.  A write-back that falls short (the file
 * system's cache full of blocks the disk refuses; never a deny, since a
 * file mapped writable cannot run as a program: file_map_writable) is
 * logged and returns false.  VM lock held (asserted); takes the
 * file-system lock. */
static bool file_write_back(struct page *p, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    off_t written = file_write_at(p->mmap.mapping->file, kva, p->mmap.bytes, p->mmap.ofs);
    if (written == (off_t)p->mmap.bytes)
        return true;
    printk("vm: write-back of mapped page 0x%lx wrote %ld of %u bytes\n",
           p->va, (long)written, (unsigned)p->mmap.bytes);
    return false;
}

/* file's evict: a dirty page is written back (file_write_back), a clean
 * one dropped; it never uses swap (SLOT is -1).  False when the
 * write-back fell short: the caller keeps the page resident rather than
 * lose its data.  VM lock held (asserted); may take the file-system
 * lock. */
static bool file_evict(struct page *p, void *kva, bool dirty, int64_t slot)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(slot < 0);
    return file_save_plan(p, dirty) == SAVE_DROP || file_write_back(p, kva);
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

/* No destroy: the mapping owns the file handle.  No share_key: a mapped
 * page is shared only by copy-on-write. */
const struct page_ops file_ops = {
    .name = "file",
    .fill = file_fill,
    .save_plan = file_save_plan,
    .evict = file_evict,
    .copy = file_copy,
};

/* --- mappings --- */

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
        ASSERT(p->ops == &file_ops);        /* file pages never change kind */
        if (p->frame) {
            bool dirty = page_collect_dirty(p, pte_of(p));
            frame_pin(p->frame);
            pt_unmap(vm->pml4, p->va);
            if (file_save_plan(p, dirty) == SAVE_WRITE_BACK
                && !file_write_back(p, p->frame->kva))
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
