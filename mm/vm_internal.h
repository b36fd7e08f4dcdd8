/* Shared between the files of the VM layer only.  Everything here but the
 * lock itself, vm_lock_held, fault_init and oom_init (boot), region_free
 * (a region in no table) and vm_limit_verdict (a pure function) runs with
 * the VM lock held. */
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

/* Kernel memory charged to a process (mm/addrspace.c; docs/vm.md,
 * "Kernel memory").  A file handle costs what the heap gives a struct
 * file (fs/file.c: 24 bytes, in the heap's 32-byte class). */
#define VM_FILE_HANDLE_COST 32
/* Charge BYTES to VM; false (and nothing charged, the refusal noted in
 * VM and logged once) when that would pass the kernel-memory limit. */
bool vm_charge(struct vm *vm, size_t bytes);
void vm_uncharge(struct vm *vm, size_t bytes);
/* Make the page tables that map VA in VM, charged to VM, and return VA's
 * PTE; NULL when the limit or the kernel pool refuses. */
uint64_t *vm_make_tables(struct vm *vm, uint64_t va);
/* V, or FAULT_KMEM_LIMIT when V is FAULT_NO_MEMORY because VM's limit
 * refused a charge (rather than the pool running dry). */
static inline enum fault_verdict vm_limit_verdict(const struct vm *vm, enum fault_verdict v)
{
    return v == FAULT_NO_MEMORY && vm->kmem_refused ? FAULT_KMEM_LIMIT : v;
}

/* The out-of-memory killer (mm/oom.c).  oom_init at boot, no lock. */
void oom_init(void);
/* Enter VM, a new address space, on the killer's list / take it off
 * (vm_destroy, before its memory goes). */
void oom_add(struct vm *vm);
void oom_remove(struct vm *vm);
/* A fault of VM found no frame, swap slot or page table: end the process
 * with the largest footprint.  FAULT_NO_MEMORY when that is VM's own (or
 * VM was chosen before, or the victim did not end in time), else
 * FAULT_OOM_WAIT: VM's fault waits a tick and retries. */
enum fault_verdict oom_handle(struct vm *vm);

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
