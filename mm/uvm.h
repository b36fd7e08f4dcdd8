/* A user address space: a page table whose user half maps frames from
 * the user pool, each owned by exactly this address space.
 *
 * Pages are allocated eagerly here; the VM layer (docs/vm.md) replaces
 * this with demand paging.  Callers serialise use of one address space
 * (a process is single-threaded). */
#ifndef MM_UVM_H
#define MM_UVM_H

#include <stdbool.h>
#include <stdint.h>

struct uvm {
    uint64_t *pml4;
};

bool uvm_create(struct uvm *vm);
/* Free every user frame and page table of VM. */
void uvm_destroy(struct uvm *vm);
void uvm_activate(struct uvm *vm);      /* NULL: kernel-only tables */
/* Map a zeroed user frame at page VA (or upgrade it to WRITABLE when
 * one is there already); returns its kernel address or NULL when out of
 * memory. */
void *uvm_alloc_page(struct uvm *vm, uint64_t va, bool writable);
/* Make DST a copy of SRC's user half, frame by frame; false when out of
 * memory (DST then holds a partial copy that uvm_destroy frees). */
bool uvm_copy(struct uvm *dst, struct uvm *src);
/* Kernel address of the byte at user address VA, or NULL when VA is not
 * mapped for user access (WRITE: for writing). */
void *uvm_translate(struct uvm *vm, uint64_t va, bool write);

#endif
