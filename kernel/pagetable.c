/* Page-table management (see pagetable.h). */
#include "kernel/pagetable.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/layout.h"
#include "kernel/palloc.h"

extern uint64_t boot_pml4[];    /* physical (low) address, boot/multiboot2.S */
static uint64_t *kpml4;
/* The bit pt_map sets in a no-execute PTE: PTE_NX when the boot code
 * turned EFER.NXE on; 0 without it, where the bit is reserved and a PTE
 * with it set would fault on every access. */
static uint64_t user_nx;

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* Boot: the boot tables become the kernel's own PML4, less the identity
 * map of low memory (PML4 entry 0) that only the boot code used; the
 * no-execute bit of user PTEs.  One thread, after cpu_init, before any
 * process. */
void pagetable_init(void)
{
    user_nx = cpu_protection.nx ? PTE_NX : 0;
    kpml4 = ptov((uint64_t)boot_pml4);
    kpml4[0] = 0;
    write_cr3(vtop(kpml4));
}

/* A new, empty address space sharing the kernel half; NULL when out of
 * kernel pages.  No lock: the caller owns the result. */
uint64_t *pml4_create(void)
{
    uint64_t *pml4 = palloc_get_page(PAL_ZERO);
    if (pml4)
        memcpy(pml4 + PML4_KERNEL_FIRST, kpml4 + PML4_KERNEL_FIRST,
               (PT_ENTRIES - PML4_KERNEL_FIRST) * sizeof *pml4);
    return pml4;
}

/* Free TABLE, a table of level LEVEL (2 = PDPT, 1 = PD, 0 = page table),
 * and the tables below it; not the frames its page tables map. */
static void free_table(uint64_t *table, int level)
{
    if (level > 0)
        for (int i = 0; i < PT_ENTRIES; i++)
            if (table[i] & PTE_P)
                free_table(ptov(table[i] & PTE_ADDR), level - 1);
    palloc_free_page(table);
}

/* Free every page table of PML4's user half and PML4 itself, not the
 * frames they map (NULL is ignored); switch to the kernel's tables first
 * when PML4 is loaded.  The caller owns PML4; nobody else walks it. */
void pml4_destroy(uint64_t *pml4)
{
    if (!pml4)
        return;
    if (read_cr3() == vtop(pml4))
        pml4_activate(NULL);
    for (int i = 0; i < PML4_KERNEL_FIRST; i++)
        if (pml4[i] & PTE_P)
            free_table(ptov(pml4[i] & PTE_ADDR), PT_LEVEL_PML4 - 1);
    palloc_free_page(pml4);
}

/* Load PML4 (the kernel's when NULL) into CR3, unless it is loaded already
 * (a reload would flush the TLB for nothing).  Any context. */
void pml4_activate(uint64_t *pml4)
{
    uint64_t pa = vtop(pml4 ? pml4 : kpml4);
    if (read_cr3() != pa)
        write_cr3(pa);
}

/* See pagetable.h.  The caller serialises changes to PML4 (the VM lock for
 * user address spaces). */
uint64_t *pt_walk(uint64_t *pml4, uint64_t va, bool alloc)
{
    ASSERT(va < USER_TOP);
    uint64_t *table = pml4;
    for (int level = PT_LEVEL_PML4; level > 0; level--) {
        uint64_t *e = &table[PT_INDEX(va, level)];
        if (!(*e & PTE_P)) {
            if (!alloc)
                return NULL;
            uint64_t *next = palloc_get_page(PAL_ZERO);
            if (!next)
                return NULL;
            *e = vtop(next) | PTE_P | PTE_W | PTE_U;
        }
        table = ptov(*e & PTE_ADDR);
    }
    return &table[PT_INDEX(va, 0)];
}

/* See pagetable.h.  The caller serialises changes to PML4. */
int pt_missing_tables(const uint64_t *pml4, uint64_t va)
{
    const uint64_t *table = pml4;
    for (int level = PT_LEVEL_PML4; level > 0; level--) {
        uint64_t e = table[PT_INDEX(va, level)];
        if (!(e & PTE_P))
            return level;
        table = ptov(e & PTE_ADDR);
    }
    return 0;
}

/* See pagetable.h: the PTE is written present, user, writable when
 * WRITABLE, no-execute unless EXECUTABLE (user_nx: where the CPU has NX),
 * and its TLB entry flushed.  The caller serialises (the VM lock). */
bool pt_map(uint64_t *pml4, uint64_t va, void *kpage, bool writable, bool executable)
{
    uint64_t *pte = pt_walk(pml4, va, false);
    if (!pte)
        return false;
    *pte = vtop(kpage) | PTE_P | PTE_U | (writable ? PTE_W : 0) | (executable ? 0 : user_nx);
    pt_invalidate(pml4, va);
    return true;
}

/* Clear VA's PTE, if present, and flush its TLB entry.  The caller
 * serialises (the VM lock). */
void pt_unmap(uint64_t *pml4, uint64_t va)
{
    uint64_t *pte = pt_walk(pml4, va, false);
    if (pte && (*pte & PTE_P)) {
        *pte = 0;
        pt_invalidate(pml4, va);
    }
}

void pml4_flush(uint64_t *pml4)
{
    if (read_cr3() == vtop(pml4))
        write_cr3(vtop(pml4));
}

void pt_invalidate(uint64_t *pml4, uint64_t va)
{
    if (read_cr3() == vtop(pml4))
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
