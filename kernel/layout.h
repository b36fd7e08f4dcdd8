/* The virtual address layout.
 *
 *   0x0000000000000000 .. 0x0000008004000000   user space (USER_TOP); the
 *                                               stack ends at USER_STACK
 *   0xffff800000000000 .. +physical memory      direct map of all RAM (DMAP_BASE)
 *   0xffffffff80000000 .. +1 GiB                the kernel image (KERNEL_VMA),
 *                                               loaded at physical 1 MiB
 *
 * ptov() turns a physical address into its direct-map alias; vtop() turns
 * a direct-map or kernel-image address back. */
#ifndef KERNEL_LAYOUT_H
#define KERNEL_LAYOUT_H

#include <stdint.h>

#define PGSIZE 4096UL
#define PGSHIFT 12
#define PGMASK (PGSIZE - 1)
#define USER_TOP 0x8004000000UL
/* The user stack ends at USER_STACK and grows down on demand as far as
 * USER_STACK_LIMIT (docs/abi.md).  Stack growth, mmap's reserved range and
 * the loader's overlap check all use these. */
#define USER_STACK 0x47480000UL
#define USER_STACK_MAX (1UL << 20)
#define USER_STACK_LIMIT (USER_STACK - USER_STACK_MAX)
#define DMAP_BASE 0xffff800000000000UL
#define KERNEL_VMA 0xffffffff80000000UL

#define pg_round_down(a) ((uint64_t)(a) & ~PGMASK)
#define pg_round_up(a) (((uint64_t)(a) + PGMASK) & ~PGMASK)
#define pg_ofs(a) ((uint64_t)(a) & PGMASK)

static inline void *ptov(uint64_t pa) { return (void *)(pa + DMAP_BASE); }

static inline uint64_t vtop(const void *va)
{
    uint64_t a = (uint64_t)va;
    return a >= KERNEL_VMA ? a - KERNEL_VMA : a - DMAP_BASE;
}

static inline int is_user_vaddr(const void *va) { return (uint64_t)va < USER_TOP; }

#endif
