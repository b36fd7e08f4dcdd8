/* Shared between the files of the VM layer only.  Everything here but the
 * lock itself, vm_lock_held and fault_init (boot) runs with the VM lock
 * held. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "fs/off_t.h"
#include "kernel/list.h"
#include "kernel/sync.h"
#include "mm/vm.h"

/* The VM lock (vm.h, "Locking").  It lives with the supplemental page
 * table (mm/spt.c), the bottom of the VM layer, so that every file of the
 * layer reaches it downwards. */
extern struct lock vm_lock;
/* Does the running thread hold the VM lock?  For assertions. */
bool vm_lock_held(void);

/* Boot: the fault path's counter (mm/fault.c). */
void fault_init(void);

/* A region (mm/region.c): a range of a process's address space whose
 * pages are all of one kind and made on first touch, one record for the
 * whole range: a file mapping (mmap), or a loadable segment of the
 * executable (anonymous: its pages with file bytes have records of their
 * own, made by the loader, which take precedence).  A vm's regions never
 * overlap. */
struct region {
    uint64_t start, end;              /* page-aligned: [start, end) */
    const struct page_ops *ops;       /* its pages' kind: &anon_ops or &file_ops */
    bool writable, executable;        /* its pages' permissions */
    struct file *file;                /* file: the mapping's own handle; else NULL */
    off_t offset;                     /* file: the file offset of START */
    uint64_t data;                    /* file: bytes of file data from START
                                         (the file's length at mmap time) */
};

/* The region of VM holding VA, or NULL: a binary search. */
struct region *region_find(const struct vm *vm, uint64_t va);
/* Does any region of VM overlap [START, END)? */
bool region_overlaps(const struct vm *vm, uint64_t start, uint64_t end);
/* Add R (page-aligned, not empty) to VM's table; false when it overlaps
 * a region there or when out of memory (R is then in no table). */
bool region_insert(struct vm *vm, struct region *r);
/* Take R out of VM's table (R stays allocated). */
void region_remove(struct vm *vm, struct region *r);
/* Close R's file handle and free R (NULL is ignored).  No lock needed:
 * R is in no table. */
void region_free(struct region *r);
/* Fork: give DST (with no regions) a copy of each of SRC's regions, each
 * with its own handle on its file; false when out of memory (DST then
 * holds those made, which region_destroy_all frees). */
bool region_copy_all(struct vm *dst, const struct vm *src);
/* Free every region of VM and its table. */
void region_destroy_all(struct vm *vm);
/* The first touch of VA (in R, with no record yet): a new record of R's
 * kind and permissions; NULL when out of memory. */
struct page *region_make_page(struct region *r, struct vm *vm, uint64_t va);

/* File mappings (mm/mmap.c). */
/* Fill in P's file kind data from its mapping R (region_make_page). */
void mmap_page_init(struct page *p, const struct region *r);
/* Exit: write back every dirty page of VM's file mappings. */
void mmap_write_back_all(struct vm *vm);

#endif
