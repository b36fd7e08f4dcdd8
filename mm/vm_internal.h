/* Shared between the files of the VM layer only.  Everything here runs
 * with the VM lock held. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "kernel/sync.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm.h"

extern struct lock vm_lock;

/* Bring non-resident P into a frame and map it; the frame stays pinned
 * when PIN. */
enum fault_verdict page_load(struct page *p, bool pin);
/* Give P a frame it may write: the last holder of a shared frame simply
 * gets write access, others get a private copy. */
enum fault_verdict page_unshare(struct page *p);
/* Is ADDR a stack access the stack may grow to, given the user's RSP? */
bool stack_growth_ok(uint64_t addr, uint64_t rsp);
/* Grow the stack with a new page at VA. */
struct page *stack_grow(struct vm *vm, uint64_t va);

/* File mappings (mm/mmap.c). */
struct mapping {
    uint64_t start;
    size_t n_pages;
    struct file *file;        /* the mapping's own handle */
    struct list_elem elem;
};
struct mapping *mmap_find(struct vm *vm, uint64_t start);
bool mmap_copy_all(struct vm *dst, struct vm *src);
void mmap_destroy_all(struct vm *vm);

#endif
