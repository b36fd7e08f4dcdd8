/* The supplemental page table: one record (struct page) per user page of
 * a process, found by its address in O(1) expected time.
 *
 * Records live in blocks of SPT_BLOCK_PAGES consecutive pages, aligned to
 * the block's size (128 KiB of address space, always inside one page
 * table), and the vm's table is a hash of blocks keyed by their first
 * address.  A record whose ops is NULL is a hole: no page there.
 *
 * Why blocks: fork copies every record and exit frees every one, thousands
 * at a time.  With a block, a fork makes one allocation and one table
 * entry per 32 pages, and finds the 32 page-table entries that go with
 * them by one page-table walk; exit frees the records a block at a time.
 * A record never moves while its block lives, so a struct page pointer
 * (the frame table's reverse map keeps them) stays valid until the page
 * is removed.
 *
 * Locking: every function but spt_init (boot) and spt_create (a new vm,
 * its creator's alone) runs with the VM lock held and asserts it.  The
 * trim of the blocks' object cache (mm/kcache.h), run by the accounting,
 * takes the lock itself. */
#ifndef MM_SPT_H
#define MM_SPT_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/hash.h"
#include "kernel/layout.h"
#include "mm/page.h"

#define SPT_BLOCK_PAGES 32
#define SPT_BLOCK_SPAN ((uint64_t)SPT_BLOCK_PAGES << PGSHIFT)

struct spt_block {
    struct hash_elem elem;            /* in vm->spt; key = page[0]'s address */
    int used;                         /* records that are not holes */
    struct page page[SPT_BLOCK_PAGES];
};

void spt_init(void);
bool spt_create(struct vm *vm);
/* Free every page of VM (page_release: frames, slots and kind data,
 * without touching the page table, which the caller frees whole) and the
 * table. */
void spt_destroy(struct vm *vm);

/* The record of the page holding VA, or NULL. */
struct page *spt_find(struct vm *vm, uint64_t va);
/* A new record for page VA (which has none) with OPS: not resident, no
 * swap slot, kind data zeroed, not executable (the loader marks the pages
 * of executable segments).  NULL when out of memory. */
struct page *spt_add(struct vm *vm, uint64_t va, bool writable, const struct page_ops *ops);
/* Make P a hole again; its frame and kind data are released already. */
void spt_remove(struct page *p);

/* Fork: a block of DST at SB's address whose records mirror SB's (address,
 * kind, writability, executability); nothing resident, no slot, kind data zeroed for the
 * kind's copy operation to fill.  NULL when out of memory. */
struct spt_block *spt_copy_block(struct vm *dst, const struct spt_block *sb);

/* Iterate over VM's blocks, in no particular order. */
struct spt_block *spt_first(struct vm *vm, struct hash_iter *it);
struct spt_block *spt_next(struct vm *vm, struct hash_iter *it);

#endif
