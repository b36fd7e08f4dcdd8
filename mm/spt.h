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
 * trim of the blocks' object cache (kernel/kcache.h), run by the
 * accounting, takes the lock itself. */
#ifndef MM_SPT_H
#define MM_SPT_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/off_t.h"
#include "kernel/hash.h"
#include "kernel/layout.h"
#include "kernel/list.h"
#include "kernel/pagetable.h"
#include "mm/vm.h"

/* The page record (struct page): one user virtual page of one process,
 * which knows how to bring its contents into a frame and how to give the
 * frame up again.  Each kind supplies those operations through a struct
 * page_ops, so the fault path and eviction never switch on the kind:
 *
 *   exec  - a page of an executable, loaded on first touch from one or
 *           more pieces of the file (segments may share a page); a clean
 *           one is dropped on eviction, a dirty one becomes anonymous
 *           (mm/exec_page.c);
 *   anon  - zero-filled on first touch, swapped to the swap disk
 *           (mm/anon_page.c);
 *   file  - a page of an mmap'ed file, read on first touch, written back
 *           when dirty, dropped when clean (mm/mmap.c).
 *
 * docs/vm.md, "Page kinds", gives the correspondence with Pintos-KAIST's
 * struct page_operations.  The kinds' operations run with the VM lock
 * held; save_plan is a pure function. */
struct page;
struct frame;
struct vm;
struct file;

/* Where eviction puts a page's contents (the kind's save_plan). */
enum page_save {
    SAVE_DROP,          /* nowhere: they can be had again from their file */
    SAVE_SWAP,          /* a swap slot, which eviction writes for the kind */
    SAVE_WRITE_BACK,    /* the kind writes them back to their file */
};

struct page_ops {
    const char *name;
    /* Fill KVA (a fresh frame) with the page's contents, from wherever
     * the kind keeps them until the page has a swap slot (a page with
     * one is read from it by page_load, whatever its kind); false on I/O
     * failure. */
    bool (*fill)(struct page *p, void *kva);
    /* Where eviction must save P's contents (DIRTY: they changed since
     * they were loaded).  A pure function of P's kind data and DIRTY. */
    enum page_save (*save_plan)(const struct page *p, bool dirty);
    /* Give up the frame at KVA, whose contents are saved as save_plan
     * said: SAVE_SWAP, SLOT holds them already (eviction wrote it) and P
     * keeps it; SAVE_WRITE_BACK, this writes them back (SLOT is -1);
     * SAVE_DROP, nothing to save.  False only when a write-back fell
     * short: P then still needs its frame, and nothing of P changed.  The
     * page is already unmapped. */
    bool (*evict)(struct page *p, void *kva, bool dirty, int64_t slot);
    /* Free the kind's data (an exec page's exec_source); NULL for a kind
     * with none.  The frame and the swap slot, which every kind may hold,
     * are released by page_release().  Also called on a record whose kind
     * data is still zero (a fork that failed before copying it). */
    void (*destroy)(struct page *p);
    /* Make DST (same va, new vm) a copy of SRC's kind data for fork (the
     * contents are shared or copied by vm_copy); NULL for a kind with no
     * data to copy. */
    bool (*copy)(struct page *dst, const struct page *src);
    /* A key under which P's frame may be shared with other processes that
     * load the same page (read-only code), or 0; NULL for a kind whose
     * frames are never shared. */
    uint64_t (*share_key)(const struct page *p);
};

#define EXEC_MAX_PIECES 4

/* Where a not-yet-loaded page of an executable comes from: zero the page,
 * then read each piece of the file.  Owned by exactly one page. */
struct exec_source {
    struct file *file;               /* its own handle on the executable */
    int n;
    struct {
        off_t file_ofs;
        uint16_t page_ofs, len;
    } piece[EXEC_MAX_PIECES];
};

struct region;

/* A record of the supplemental page table, which owns its memory (the
 * blocks below): ops == NULL marks a hole there. */
struct page {
    uint64_t va;
    struct vm *vm;
    const struct page_ops *ops;
    struct frame *frame;             /* resident: the frame holding it */
    struct list_elem frame_elem;     /* in frame->pages (reverse map) */
    bool writable;                   /* the user may write it */
    bool executable;                 /* the user may execute it (else
                                        no-execute where the CPU has NX) */
    bool dirty;                      /* written since loaded (kernel writes,
                                        collected dirty bits) */
    int64_t slot;                    /* swap slot, or -1 */
    union {                          /* the kind's data */
        struct exec_source *exec;    /* exec */
        struct {                     /* file */
            struct region *mapping;  /* the mmap it belongs to */
            off_t ofs;               /* offset in the file */
            uint32_t bytes;          /* bytes of file data in the page */
        } mmap;
    };
};

extern const struct page_ops anon_ops, exec_ops, file_ops;

/* The PTE that maps P's address, or NULL when no page table covers it. */
static inline uint64_t *pte_of(const struct page *p)
{
    return pt_walk(p->vm->pml4, p->va, false);
}

/* Have P's contents changed since they were loaded?  Either P's own flag
 * says so (the kernel wrote through its alias, or a dirty bit was
 * collected before) or PTE, P's PTE or NULL, has its dirty bit, which
 * this collects into the flag so that it outlives the PTE. */
static inline bool page_collect_dirty(struct page *p, const uint64_t *pte)
{
    if (pte && (*pte & PTE_D))
        p->dirty = true;
    return p->dirty;
}

/* Does P hold anything page_release() frees?  A never-touched page holds
 * nothing, and exit skips it without a call. */
static inline bool page_holds_anything(const struct page *p)
{
    return p->frame || p->slot >= 0 || p->ops->destroy;
}

#define SPT_BLOCK_PAGES 32
#define SPT_BLOCK_SPAN ((uint64_t)SPT_BLOCK_PAGES << PGSHIFT)

struct spt_block {
    struct hash_elem elem;            /* in vm->spt; key = page[0]'s address */
    int used;                         /* records that are not holes */
    struct page page[SPT_BLOCK_PAGES];
};

void spt_init(void);
bool spt_create(struct vm *vm);
/* Free VM's table and every block of it; the pages in them hold nothing
 * any more (page_release_all). */
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

/* Call FN(P, AUX) on every record P of VM in [START, END); FN may remove
 * P (spt_remove, page_free) and no other record.  Time in the number of
 * blocks the range spans or the number of blocks VM has, whichever is
 * smaller, never in the range's length: blocks come in address order
 * when the range spans fewer blocks than VM has, else in the table's
 * order (records of one block always in address order). */
void spt_each_in_range(struct vm *vm, uint64_t start, uint64_t end,
                       void (*fn)(struct page *p, void *aux), void *aux);

/* Iterate over VM's blocks, in no particular order. */
struct spt_block *spt_first(struct vm *vm, struct hash_iter *it);
struct spt_block *spt_next(struct vm *vm, struct hash_iter *it);

#endif
