/* The life cycle of pages (mm/page.c): loading into frames, the
 * copy-on-write break, stack growth and release.  The records and their
 * kinds are in mm/spt.h.  Every function here runs with the VM lock held
 * (mm/vm_internal.h) unless it says so. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/spt.h"
#include "mm/vm.h"

void page_init(void);       /* boot: the accounting's page counters; no lock */

/* Bring non-resident P into a frame and map it: the shared-code table's
 * frame when its kind gives a key and another process loaded it, else a
 * new frame that the kind fills. */
enum fault_verdict page_load(struct page *p);
/* Give resident, writable P a frame it may write: the last holder of a
 * shared frame simply gets write access, others get a private copy. */
enum fault_verdict page_unshare(struct page *p);
/* The first touch of VA, in region R of VM and with no record yet: a
 * record of R's kind is made and loaded, and *OUT points to it.  A
 * record is made only when a frame is about to exist: when the load
 * fails it goes again, *OUT is NULL, and the verdict says why. */
enum fault_verdict page_touch(struct vm *vm, struct region *r, uint64_t va,
                              struct page **out);
/* Is ADDR a stack access the stack may grow to, given the user's RSP?  A
 * pure function: no lock needed. */
bool stack_growth_ok(uint64_t addr, uint64_t rsp);
/* A new, never-touched anonymous page at VA for the stack; NULL when out
 * of memory. */
struct page *stack_grow(struct vm *vm, uint64_t va);

/* Release P's frame, its swap slot and its kind data; P stays in its
 * table and its PTE stays as it is: for a caller that frees the whole page
 * table right after (vm_destroy). */
void page_release(struct page *p);
/* page_release() every page of VM that holds anything, before its table
 * and page tables go whole (spt_destroy, pml4_destroy). */
void page_release_all(struct vm *vm);
/* Clear P's PTE, page_release(), and take P out of its vm's table. */
void page_free(struct page *p);

#endif
