/* Page-table management (see pagetable.h). */
#include "mm/pagetable.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/layout.h"
#include "mm/palloc.h"

extern uint64_t boot_pml4[];    /* physical (low) address, boot/multiboot2.S */
static uint64_t *kpml4;

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

void pagetable_init(void)
{
    kpml4 = ptov((uint64_t)boot_pml4);
    kpml4[0] = 0;
    write_cr3(vtop(kpml4));
}

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

void pml4_activate(uint64_t *pml4)
{
    uint64_t pa = vtop(pml4 ? pml4 : kpml4);
    if (read_cr3() != pa)
        write_cr3(pa);
}

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

bool pt_map(uint64_t *pml4, uint64_t va, void *kpage, bool writable)
{
    uint64_t *pte = pt_walk(pml4, va, true);
    if (!pte)
        return false;
    *pte = vtop(kpage) | PTE_P | PTE_U | (writable ? PTE_W : 0);
    pt_invalidate(pml4, va);
    return true;
}

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
