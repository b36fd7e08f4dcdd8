/* The VM side of a user page fault: classify it, then hand it to the one
 * small handler for its case, which returns a verdict.  The trap glue
 * that reads CR2 and ends the process on a kill is proc/trap.c's
 * page_fault(); the page operations the handlers call (loading,
 * unsharing, growing the stack) are mm/page.c's.
 *
 * The CPU's question comes first: was the PTE present?
 *
 *   not present
 *     no page yet, in a region          -> handle_first_touch (a mapping's
 *                                          or a segment's page: its record
 *                                          is made, then page_load)
 *     no page, a valid stack access     -> handle_stack_growth
 *     no page otherwise                 -> kill: FAULT_NO_PAGE
 *     a write to a read-only page       -> kill: FAULT_READ_ONLY
 *     resident again                    -> handle_remapped (an eviction
 *                                          undone while the fault waited
 *                                          for the lock)
 *     not resident (never loaded, or evicted) -> page_load
 *   present (the PTE refused the access)
 *     no longer resident                -> as not present (evicted while
 *                                          the fault waited for the lock)
 *     an instruction fetch              -> kill: FAULT_NO_EXECUTE
 *     a read                            -> kill: FAULT_PROTECTION
 *     a write to a read-only page       -> kill: FAULT_READ_ONLY
 *     a write to a writable page        -> page_unshare (copy-on-write)
 *
 * Under the VM lock a resident page always has its PTE: every frame a
 * page is given is mapped or taken back at once (frame_install), and
 * mapping a page again where it was mapped cannot fail, since page tables
 * last as long as the address space (page_unshare, frame_remap_all).
 *
 * An address outside user space is FAULT_OUTSIDE_USER before any of
 * these.  A fault taken in kernel mode never comes here (proc/trap.c
 * panics): system calls reach user memory only through vm_pin().
 *
 * Around all of them runs the out-of-memory rule (docs/vm.md, "Out of
 * memory"): faults at the same user state form a streak, the frames
 * allocated for a streak are not evicted for it, and a streak that
 * cannot get a frame for one more page kills (FAULT_NO_PROGRESS). */
#include "kernel/accounting.h"
#include "kernel/string.h"
#include "kernel/panic.h"
#include "kernel/layout.h"
#include "kernel/timer.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

static size_t n_killed;
static size_t count_killed(void) { return n_killed; }

/* Boot: the accounting's counter of faults that ended their process. */
void fault_init(void)
{
    accounting_register_counter("faults_killed", count_killed);
}

/* Any context.  The words of a fault notice: which rule fired. */
const char *fault_verdict_name(enum fault_verdict v)
{
    switch (v) {
    case FAULT_RESOLVED:
        return "resolved";
    case FAULT_NO_MEMORY:
        return "no frame, swap slot or page table";
    case FAULT_IO:
        return "the page's contents could not be read";
    case FAULT_OUTSIDE_USER:
        return "address outside user space";
    case FAULT_NO_PAGE:
        return "no page there, and not a stack access";
    case FAULT_READ_ONLY:
        return "write to a read-only page";
    case FAULT_PROTECTION:
        return "access refused by a present page";
    case FAULT_NO_EXECUTE:
        return "execute from a no-execute page";
    case FAULT_NO_PROGRESS:
        return "out of frames for the pages one instruction needs at once";
    case FAULT_KMEM_LIMIT:
        return "the process is at its kernel-memory limit";
    case FAULT_OOM_WAIT:
        return "waiting for the out-of-memory killer's victim";
    }
    return "unknown verdict";
}

/* VM lock held.  No page at VA: a stack access grows the stack by a new
 * anonymous page, loaded at once. */
static enum fault_verdict handle_stack_growth(struct vm *vm, uint64_t va)
{
    struct page *p = stack_grow(vm, va);
    return p ? page_load(p) : FAULT_NO_MEMORY;
}

/* VM lock held.  P is resident although the CPU found no PTE: an eviction
 * unmapped it (frame_unmap_all) while this fault waited for the VM lock,
 * could not save it, and mapped it again (frame_remap_all).  The
 * instruction's retry finds the PTE. */
static enum fault_verdict handle_remapped(struct page *p)
{
    ASSERT_DEBUG(pte_of(p) && (*pte_of(p) & PTE_P));
    (void)p;
    return FAULT_RESOLVED;
}

/* VM lock held.  No record at ADDR, but region R holds it: the first
 * touch of a page of a mapping or a segment makes its record. */
static enum fault_verdict handle_first_touch(struct vm *vm, struct region *r, uint64_t addr,
                                             bool write)
{
    if (write && !r->writable)
        return FAULT_READ_ONLY;
    struct page *p;
    return page_touch(vm, r, addr, &p);
}

/* VM lock held.  The CPU found no PTE for ADDR (P its page, or NULL). */
static enum fault_verdict fault_not_present(struct vm *vm, struct page *p, uint64_t addr,
                                            bool write, uint64_t rsp)
{
    struct region *r;
    if (!p && (r = region_find(vm, addr)))
        return handle_first_touch(vm, r, addr, write);
    if (!p && stack_growth_ok(addr, rsp))
        return handle_stack_growth(vm, pg_round_down(addr));
    if (!p)
        return FAULT_NO_PAGE;
    if (write && !p->writable)
        return FAULT_READ_ONLY;
    if (p->frame)
        return handle_remapped(p);
    return page_load(p);                    /* not resident */
}

/* VM lock held.  The CPU found a present PTE for ADDR and refused the
 * access (P its page, or NULL).  A fetch is refused only by the PTE's
 * no-execute bit, which pages the user may not execute carry (a fetch
 * from a page not yet loaded loads it first, and its retry ends here). */
static enum fault_verdict fault_present(struct vm *vm, struct page *p, uint64_t addr,
                                        bool write, bool fetch, uint64_t rsp)
{
    /* Another process evicted the page while this fault waited for the
     * VM lock: what was present is not any more. */
    if (!p || !p->frame)
        return fault_not_present(vm, p, addr, write, rsp);
    if (fetch)
        return FAULT_NO_EXECUTE;
    if (!write)
        return FAULT_PROTECTION;
    if (!p->writable)
        return FAULT_READ_ONLY;
    return page_unshare(p);                 /* its frame is or was shared */
}

/* The out-of-memory rule's streak (docs/vm.md, "Out of memory"): is a
 * fault at user state CUR the instruction of the fault before it, at
 * PREV, tried again with nothing of it retired?  A pure function, no
 * lock. */
static bool fault_same_instruction(const struct intr_frame *prev, const struct intr_frame *cur)
{
    /* Another rip: the instruction before retired (or jumped here), and
     * the pages it needed are no longer needed all at once. */
    if (prev->rip != cur->rip)
        return false;
    /* Same rip, but a register, the flags or the stack pointer changed:
     * the instruction did part of its work (a `rep movs` advances rsi,
     * rdi and rcx as it copies) or the program went round a loop back to
     * it.  Either is progress. */
    if (prev->rsp != cur->rsp || prev->rflags != cur->rflags
        || memcmp(prev, cur, offsetof(struct intr_frame, vec_no)) != 0)
        return false;
    /* Nothing visible changed: the same instruction is being retried, and
     * the pages its earlier faults brought in are pages it needs together
     * with this one. */
    return true;
}

/* VM lock held.  Enter the fault at user state USER into VM's streak:
 * continue it when the state is the last fault's, else start a new one
 * with a new tag.  The tags count up from 1 and are never reused, so a
 * frame's tag names one streak of one process. */
static void streak_enter(struct vm *vm, const struct intr_frame *user)
{
    static uint64_t next_working_set = 1;
    struct fault_streak *s = &vm->streak;
    if (!s->working_set || !fault_same_instruction(&s->last, user)) {
        s->working_set = next_working_set++;
        s->resolved = 0;
    }
    s->last = *user;
    vm->working_set = s->working_set;
}

/* VM lock held.  Leave the fault of VM's streak with verdict V, and
 * return the verdict to report: a resolution is counted; a fault that
 * found no memory while earlier faults of its streak were resolved is the
 * out-of-memory rule's kill (its instruction needs one page more than can
 * be had beside the ones it holds). */
static enum fault_verdict streak_leave(struct vm *vm, enum fault_verdict v)
{
    vm->working_set = 0;
    if (v == FAULT_RESOLVED) {
        vm->streak.resolved++;
        vm->oom_waits = 0;
    } else if (v == FAULT_NO_MEMORY && vm->streak.resolved > 0)
        v = FAULT_NO_PROGRESS;
    return v;
}

/* Takes the VM lock (never held by the caller).  See vm.h. */
enum fault_verdict vm_fault(struct vm *vm, uint64_t addr, bool write, bool present, bool fetch,
                            const struct intr_frame *user)
{
    enum fault_verdict v = FAULT_OUTSIDE_USER;
    if (addr < USER_TOP) {
        lock_acquire(&vm_lock);
        streak_enter(vm, user);
        vm->kmem_refused = false;
        struct page *p = spt_find(vm, addr);
        v = present ? fault_present(vm, p, addr, write, fetch, user->rsp)
                    : fault_not_present(vm, p, addr, write, user->rsp);
        v = vm_limit_verdict(vm, v);
        if (v == FAULT_NO_MEMORY)
            v = oom_handle(vm);
        v = streak_leave(vm, v);
        lock_release(&vm_lock);
    }
    if (v == FAULT_OOM_WAIT) {
        timer_sleep(1);                     /* the victim ends meanwhile */
        return FAULT_RESOLVED;              /* the instruction retries */
    }
    if (v != FAULT_RESOLVED)
        n_killed++;
    return v;
}
