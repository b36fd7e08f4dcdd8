/* x86-64 four-level page tables.
 *
 * A virtual address splits into PML4 (bits 47..39), PDPT (38..30),
 * PD (29..21), PT (20..12) indexes and a 12-bit page offset.  The kernel
 * half (PML4 entries 256..511: the direct map and the kernel image) is
 * the same in every address space, copied from the kernel's own PML4;
 * user mappings use 4 KiB pages only.  Page-table pages come from the
 * kernel pool.  Callers serialise access to one address space. */
#ifndef KERNEL_PAGETABLE_H
#define KERNEL_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/layout.h"

#define PTE_P (1UL << 0)      /* present */
#define PTE_W (1UL << 1)      /* writable */
#define PTE_U (1UL << 2)      /* user */
#define PTE_A (1UL << 5)      /* accessed */
#define PTE_D (1UL << 6)      /* dirty */
#define PTE_PS (1UL << 7)     /* large page (PD/PDPT level) */
#define PTE_NX (1UL << 63)    /* no execute */
#define PTE_ADDR 0x000ffffffffff000UL

/* Every table holds PT_ENTRIES entries and is indexed by 9 bits of the
 * address; a level's index starts PT_SHIFT(level) bits up, where level 3
 * is the PML4, 2 the PDPT, 1 the PD and 0 the page table itself. */
#define PT_ENTRIES 512
#define PT_INDEX_BITS 9
#define PT_SHIFT(level) (PGSHIFT + PT_INDEX_BITS * (level))
#define PT_INDEX(va, level) (((uint64_t)(va) >> PT_SHIFT(level)) & (PT_ENTRIES - 1))
#define PT_LEVEL_PML4 3
/* PML4 entries from here on map the kernel half, shared by every space. */
#define PML4_KERNEL_FIRST (PT_ENTRIES / 2)

void pagetable_init(void);      /* drop the boot identity map */
uint64_t *pml4_create(void);    /* new address space, kernel half shared */
void pml4_destroy(uint64_t *pml4);   /* frees page-table pages, not frames */
void pml4_activate(uint64_t *pml4);  /* NULL: the kernel's own */

/* The PTE for VA in PML4, creating missing tables when ALLOC; NULL when
 * absent (or out of memory with ALLOC). */
uint64_t *pt_walk(uint64_t *pml4, uint64_t va, bool alloc);
/* How many page-table pages pt_walk(PML4, VA, true) would allocate now:
 * 0 to 3.  The caller serialises changes to PML4. */
int pt_missing_tables(const uint64_t *pml4, uint64_t va);
/* Map user page VA to the frame at kernel address KPAGE, writable when
 * WRITABLE, no-execute unless EXECUTABLE (where the CPU has NX).  It
 * allocates no page table: false when one that VA needs is missing (the
 * caller makes them with pt_walk and maps again, so that it can count
 * what it made). */
bool pt_map(uint64_t *pml4, uint64_t va, void *kpage, bool writable, bool executable);
void pt_unmap(uint64_t *pml4, uint64_t va);
void pt_invalidate(uint64_t *pml4, uint64_t va);   /* flush VA's TLB entry */
void pml4_flush(uint64_t *pml4);     /* flush the TLB if PML4 is active */

#endif
