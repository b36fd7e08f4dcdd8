/* A process's virtual memory: its page table, its supplemental page
 * table (mm/spt.h: records of its pages, found by address) and its file
 * mappings.  docs/vm.md tells the whole story.
 *
 * Locking: one VM lock serialises every operation on pages, frames and
 * swap, for all processes, including the disk I/O of loading and
 * eviction.  Every function here that touches pages takes it and never
 * holds it on return; none may be called with it held.  vm_activate
 * touches only the vm's own page-table root, which its process alone
 * uses, and takes no lock; vm_create takes it only to enter the new vm on
 * the out-of-memory killer's list.  Lock order: the VM lock before the
 * file-system lock; nothing takes the VM lock while holding the
 * file-system lock. */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs/off_t.h"
#include "kernel/hash.h"
#include "kernel/interrupt.h"
#include "kernel/list.h"

struct file;
struct region;

/* What the out-of-memory rule remembers of a process's page faults
 * (mm/fault.c; docs/vm.md, "Out of memory").  Consecutive faults at the
 * same user state are one instruction retried with nothing retired: a
 * streak, whose faults share a working set, the frames allocated for
 * them, which those faults never evict. */
struct fault_streak {
    struct intr_frame last;   /* the user state at the last fault */
    uint64_t working_set;     /* the streak's tag (0: no fault yet) */
    unsigned resolved;        /* faults of the streak resolved */
};

struct vm {
    uint64_t *pml4;
    struct hash spt;          /* the supplemental page table (mm/spt.h) */
    /* Its regions (mm/vm_internal.h), sorted by address: mmaps and the
     * executable's segments, one record for each whole range. */
    struct region **regions;
    size_t n_regions, cap_regions;
    struct fault_streak streak;
    /* While a fault is being resolved, its streak's tag: frames allocated
     * for VM's pages carry it, and eviction for them skips frames that
     * do; 0 otherwise (a system call's pin, fork). */
    uint64_t working_set;
    /* Kernel memory held on its behalf, in bytes (docs/vm.md, "Kernel
     * memory"): its page-record blocks, page tables, regions, file
     * handles and exec sources; kmem_limit bounds it. */
    size_t kmem;
    size_t pt_pages;          /* page-table pages under its PML4 */
    bool kmem_refused;        /* a charge was refused since the last
                                 fault or pin began */
    bool kmem_logged;         /* the refusal has been logged */
    /* The out-of-memory killer (mm/oom.c). */
    struct list_elem all_elem;    /* in the list of every vm */
    bool oom_victim;              /* chosen to end, not yet destroyed */
    unsigned oom_waits;           /* ticks its faults waited for a victim */
};

/* A process's footprint, as the out-of-memory killer weighs it (in
 * pages): resident pages, pages in swap, kernel memory. */
struct vm_footprint {
    size_t frames, slots, kmem_pages, total;
};

/* Set by proc/ at boot: end the process of VICTIM (the one with the
 * largest footprint, FP) for a fault of FAULTER's that found no memory,
 * and log it; VICTIM may be FAULTER.  Runs with the VM lock held: it may
 * not sleep, take a lock or call the VM layer. */
extern void (*vm_oom_kill_hook)(struct vm *victim, struct vm *faulter,
                                const struct vm_footprint *fp);

void vm_init(void);           /* boot: the frame table, swap, the counters */

bool vm_create(struct vm *vm);
/* Write back dirty file pages, free every page, frame, swap slot and page
 * table of VM. */
void vm_destroy(struct vm *vm);
void vm_activate(struct vm *vm);         /* NULL: kernel-only tables */
/* Make DST (new, empty) a copy of SRC for fork; false when out of memory
 * (DST then holds a part that vm_destroy frees). */
bool vm_copy(struct vm *dst, struct vm *src);

/* Loader: VA's page loads LEN bytes at PAGE_OFS from FILE at FILE_OFS, on
 * first touch (several pieces may share a page); a page with no piece is
 * zero-filled.  A page that several pieces share is writable if any of
 * them is, and executable if any of them is (WRITABLE, EXECUTABLE: the
 * piece's segment's PF_W and PF_X). */
bool vm_add_exec_piece(struct vm *vm, uint64_t va, bool writable, bool executable,
                       struct file *file, off_t file_ofs, size_t page_ofs, size_t len);
bool vm_add_zero_page(struct vm *vm, uint64_t va, bool writable, bool executable);
/* Loader: a region of zero-filled pages [START, END) (page-aligned), each
 * made on first touch, except for the pages a region of VM holds already
 * (a segment that shares its first or last page with another); false
 * when out of memory or when it would overlap a region otherwise. */
bool vm_add_zero_region(struct vm *vm, uint64_t start, uint64_t end, bool writable,
                        bool executable);

/* The verdict on a user page fault (mm/fault.c): resolved, and the
 * instruction is retried, or the rule that ends the process. */
enum fault_verdict {
    FAULT_RESOLVED,
    FAULT_NO_MEMORY,        /* no frame, swap slot or page-table page */
    FAULT_IO,               /* the page's contents could not be read */
    FAULT_OUTSIDE_USER,     /* the address is not in user space */
    FAULT_NO_PAGE,          /* no page there, and not a stack access */
    FAULT_READ_ONLY,        /* a write to a page the user may not write */
    FAULT_PROTECTION,       /* a read refused by a present PTE */
    FAULT_NO_EXECUTE,       /* an instruction fetch from a no-execute page */
    FAULT_NO_PROGRESS,      /* no frame for one more page of an instruction
                               whose other pages fill what can be had */
    FAULT_KMEM_LIMIT,       /* the process is at its kernel-memory limit */
    FAULT_OOM_WAIT,         /* inside the layer only: another process was
                               chosen to end for this fault's memory; wait,
                               then retry (vm_fault returns FAULT_RESOLVED) */
};

/* System calls: may the user access the byte at VA (for writing when
 * WRITE)?  True for a page that exists (and is writable, for a write) or
 * that stack growth would create, given the user's RSP. */
bool vm_access_ok(struct vm *vm, uint64_t va, bool write, uint64_t rsp);
/* Bring VA's page in, pin its frame and return the kernel address of
 * byte VA; NULL when VA is invalid or the page cannot be brought in, and
 * then *WHY (when WHY is not NULL) says which, as a page fault's verdict
 * would (FAULT_IO: its contents could not be read; FAULT_NO_MEMORY: no
 * frame).  WRITE marks the page dirty. */
void *vm_pin(struct vm *vm, uint64_t va, bool write, uint64_t rsp, enum fault_verdict *why);
void vm_unpin(struct vm *vm, uint64_t va);
/* Physical address of the frame backing VA, 0 when none (int $0x42). */
uint64_t vm_frame_phys(struct vm *vm, uint64_t va);

/* mmap/munmap (mm/mmap.c); vm_mmap returns 0 on failure, among them a
 * writable mapping of a file that runs as a program. */
uint64_t vm_mmap(struct vm *vm, uint64_t addr, size_t length, bool writable,
                 struct file *file, off_t offset);
void vm_munmap(struct vm *vm, uint64_t addr);

/* Resolve a fault of user mode at ADDR in VM: WRITE, PRESENT and FETCH
 * (an instruction fetch) from the CPU's error code, USER the user state
 * that faulted (its rsp for stack growth, its registers for the
 * out-of-memory rule).  Takes the VM lock. */
enum fault_verdict vm_fault(struct vm *vm, uint64_t addr, bool write, bool present,
                            bool fetch, const struct intr_frame *user);
/* The rule a verdict names, for the fault notice. */
const char *fault_verdict_name(enum fault_verdict v);

#endif
