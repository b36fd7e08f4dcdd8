/* Shared between the files of the VM layer only.  Everything here but the
 * lock itself, vm_lock_held and fault_init (boot) runs with the VM lock
 * held. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
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

/* File mappings (mm/mmap.c). */
struct mapping {
    uint64_t start;
    size_t n_pages;
    struct file *file;        /* the mapping's own handle */
    bool writable;            /* counted by file_map_writable on FILE */
    struct list_elem elem;
};
struct mapping *mmap_find(struct vm *vm, uint64_t start);
bool mmap_copy_all(struct vm *dst, struct vm *src);
void mmap_destroy_all(struct vm *vm);

#endif
