/* File mappings: mmap and munmap (see vm.h and docs/vm.md).
 *
 * A mapping is a region (vm_internal.h, mm/region.c): one record for its
 * whole range, whose pages get records on first touch only
 * (mmap_page_init), so mmap and munmap cost time in the pages touched,
 * never in the length of the range.
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
 * mapping (region_copy_all made it before the pages); false when there is
 * none.  VM lock held (asserted). */
static bool file_copy(struct page *dst, const struct page *src)
{
    ASSERT_DEBUG(vm_lock_held());
    dst->mmap = src->mmap;
    dst->mmap.mapping = region_find(dst->vm, src->va);
    return dst->mmap.mapping != NULL && dst->mmap.mapping->file != NULL;
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

/* See vm_internal.h: P's offset in the file and its bytes of file data,
 * from its place in mapping R.  VM lock held (asserted). */
void mmap_page_init(struct page *p, const struct region *r)
{
    ASSERT_DEBUG(vm_lock_held());
    uint64_t at = p->va - r->start;
    p->mmap.mapping = (struct region *)r;
    p->mmap.ofs = r->offset + (off_t)at;
    p->mmap.bytes = at < r->data ? (r->data - at < PGSIZE ? r->data - at : PGSIZE) : 0;
}

/* Is [ADDR, ADDR + LENGTH) a place a new mapping may go: page-aligned,
 * inside user space, clear of the stack's reserved range and of every
 * region of VM?  Every page VM has outside the stack's range lies in a
 * region, so one search answers.  VM lock held. */
static bool range_free(struct vm *vm, uint64_t addr, size_t length)
{
    uint64_t end = addr + pg_round_up(length);
    if (addr == 0 || pg_ofs(addr) || length == 0 || end <= addr || end > USER_TOP)
        return false;
    if (addr < USER_STACK && end > USER_STACK_LIMIT)
        return false;                       /* the stack's reserved range */
    return !region_overlaps(vm, addr, end);
}

/* Write P, a resident page of a file mapping, back to its file when it is
 * dirty, first unmapping it when UNMAP; a write-back that falls short
 * (logged by the kind) loses that page's changes, logged here too: the
 * mapping is going and nothing can keep them.  P's frame is pinned
 * meanwhile.  VM lock held; takes the file-system lock. */
static void flush_page(struct page *p, bool unmap)
{
    ASSERT(p->ops == &file_ops && p->frame);   /* file pages never change kind */
    bool dirty = page_collect_dirty(p, pte_of(p));
    frame_pin(p->frame);
    if (unmap)
        pt_unmap(p->vm->pml4, p->va);
    if (file_save_plan(p, dirty) == SAVE_WRITE_BACK && !file_write_back(p, p->frame->kva))
        printk("vm: munmap: the changes to mapped page 0x%lx are lost\n", p->va);
    frame_unpin(p->frame);
}

/* spt_each_in_range's step for munmap: write P back if dirty and free it.
 * VM lock held. */
static void unmap_page(struct page *p, void *aux)
{
    (void)aux;
    if (p->frame)
        flush_page(p, true);
    page_free(p);
}

/* Free the pages of M that were touched, writing dirty ones back to the
 * file, then M and its handle.  Within a block of records the write-backs
 * go in address order, so consecutive dirty pages reach the disk as the
 * file system cache's multi-block write-back runs.  VM lock held; takes
 * the file-system lock for the write-back. */
static void unmap(struct vm *vm, struct region *m)
{
    spt_each_in_range(vm, m->start, m->end, unmap_page, NULL);
    region_remove(vm, m);
    region_free(m);
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
    struct region *m = NULL;
    if (flen <= 0 || !range_free(vm, addr, length))
        goto out;
    if (!(m = kzalloc(sizeof *m)))
        goto out;
    /* A running program is never mapped writable (see file.h). */
    m->file = file_reopen(file);
    if (!m->file || (writable && !file_map_writable(m->file)))
        goto fail;
    m->start = addr;
    m->end = addr + pg_round_up(length);
    m->ops = &file_ops;
    m->writable = writable;
    m->offset = offset;
    /* File bytes the mapping covers: LENGTH, cut at the end of the file. */
    m->data = offset < flen ? (uint64_t)(flen - offset) : 0;
    if (m->data > length)
        m->data = length;
    if (!region_insert(vm, m))
        goto fail;
    result = addr;
    goto out;
fail:
    region_free(m);
out:
    lock_release(&vm_lock);
    return result;
}

/* See vm.h: an address where no mapping starts is ignored (a segment of
 * the executable is no mapping).  Takes the VM lock. */
void vm_munmap(struct vm *vm, uint64_t addr)
{
    lock_acquire(&vm_lock);
    struct region *m = region_find(vm, addr);
    if (m && m->start == addr && m->ops == &file_ops)
        unmap(vm, m);
    lock_release(&vm_lock);
}

/* spt_each_in_range's step at exit: write P back if it is a dirty page of
 * a mapping.  VM lock held. */
static void flush_if_mapped(struct page *p, void *aux)
{
    (void)aux;
    if (p->ops == &file_ops && p->frame)
        flush_page(p, false);
}

/* See vm_internal.h: one walk over VM's records, whatever its mappings'
 * lengths; the address space is going whole, so nothing is unmapped.
 * VM lock held (asserted). */
void mmap_write_back_all(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    for (size_t i = 0; i < vm->n_regions; i++)
        if (vm->regions[i]->ops == &file_ops) {    /* a mapping: walk once */
            spt_each_in_range(vm, 0, USER_TOP, flush_if_mapped, NULL);
            return;
        }
}
