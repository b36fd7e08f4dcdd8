/* Pages: the entries of a supplemental page table (docs/vm.md).
 *
 * A page is one user virtual page of one process and knows how to bring
 * its contents into a frame and how to give the frame up again.  Each kind
 * supplies those operations through a struct page_ops, so the fault path
 * and eviction never switch on the kind:
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
 * Every function here runs with the VM lock held (mm/vm.h). */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/off_t.h"
#include "kernel/list.h"
#include "kernel/pagetable.h"
#include "mm/vm.h"

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

struct mapping;

/* A record of the supplemental page table (mm/spt.h), which owns its
 * memory: ops == NULL marks a hole there. */
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
            struct mapping *mapping; /* the mmap it belongs to */
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

void page_init(void);       /* boot: the accounting's page counters */

/* Bring non-resident P into a frame and map it: the shared-code table's
 * frame when its kind gives a key and another process loaded it, else a
 * new frame that the kind fills. */
enum fault_verdict page_load(struct page *p);
/* Give resident, writable P a frame it may write: the last holder of a
 * shared frame simply gets write access, others get a private copy. */
enum fault_verdict page_unshare(struct page *p);
/* Is ADDR a stack access the stack may grow to, given the user's RSP?  A
 * pure function: no lock needed. */
bool stack_growth_ok(uint64_t addr, uint64_t rsp);
/* A new, never-touched anonymous page at VA for the stack; NULL when out
 * of memory. */
struct page *stack_grow(struct vm *vm, uint64_t va);

/* Release P's frame, its swap slot and its kind data; P stays in its
 * table and its PTE stays as it is: for a caller that frees the whole page
 * table right after (spt_destroy). */
void page_release(struct page *p);
/* Does P hold anything page_release() frees?  A never-touched page holds
 * nothing, and exit skips it without a call. */
static inline bool page_holds_anything(const struct page *p)
{
    return p->frame || p->slot >= 0 || p->ops->destroy;
}
/* Clear P's PTE, page_release(), and take P out of its vm's table. */
void page_free(struct page *p);

#endif
