/* The out-of-memory killer (docs/vm.md, "Out of memory"): when a fault
 * cannot get a frame, a swap slot or a page table, the process with the
 * largest footprint is killed, not the one that faulted, unless it is the
 * same; the faulting one waits for the victim's memory and retries.
 *
 * Every function runs with the VM lock held (asserted) unless it says
 * so. */
#include "kernel/console.h"
#include "kernel/list.h"
#include "kernel/palloc.h"
#include "kernel/panic.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* Set by proc/ at boot (vm.h). */
void (*vm_oom_kill_hook)(struct vm *victim, struct vm *faulter, const struct vm_footprint *fp);

static struct list all_vms;             /* every vm that vm_create made */
static size_t n_dying;                  /* victims not yet destroyed */

/* How long a fault waits for a victim to end, in timer ticks, before its
 * own process is killed instead: a victim that sleeps in wait() on a
 * child ends only when the child does. */
#define OOM_WAIT_TICKS 100

/* A pool with fewer free pages than this is dry: a page-table page, a
 * record block or a frame could not be had for want of memory.  With
 * more, an allocation that failed did so for another reason (an injected
 * failure, fail_alloc), and killing a victim would free nothing needed. */
#define OOM_DRY_PAGES 16

/* Is the user pool full (no frame: frame_alloc evicts before it fails)
 * or the kernel pool dry?  No lock: the pools' counters. */
static bool pools_dry(void)
{
    return palloc_user_used() >= palloc_user_total()
        || palloc_kernel_total() - palloc_kernel_used() < OOM_DRY_PAGES;
}

/* Boot: the list of address spaces.  No lock: no process exists yet. */
void oom_init(void)
{
    list_init(&all_vms);
}

/* See vm_internal.h.  VM lock held (asserted). */
void oom_add(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    list_push_back(&all_vms, &vm->all_elem);
    vm->oom_victim = false;
    vm->oom_waits = 0;
}

/* See vm_internal.h.  VM lock held (asserted). */
void oom_remove(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    list_remove(&vm->all_elem);
    if (vm->oom_victim)
        n_dying--;
}

/* VM's footprint: its resident pages (a frame shared by copy-on-write
 * counts for each holder, as Linux's RSS does), its pages in swap and
 * its kernel memory in pages, as Linux's oom_badness weighs them.  Time
 * in VM's records.  VM lock held. */
static struct vm_footprint footprint(struct vm *vm)
{
    struct vm_footprint fp = { .kmem_pages = (vm->kmem + PGSIZE - 1) / PGSIZE };
    struct hash_iter it;
    for (struct spt_block *b = spt_first(vm, &it); b; b = spt_next(vm, &it))
        for (int i = 0; i < SPT_BLOCK_PAGES; i++) {
            const struct page *p = &b->page[i];
            fp.frames += p->ops && p->frame;
            fp.slots += p->ops && p->slot >= 0;
        }
    fp.total = fp.frames + fp.slots + fp.kmem_pages;
    return fp;
}

/* See vm_internal.h.  VM lock held (asserted). */
enum fault_verdict oom_handle(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    if (vm->oom_victim || !pools_dry())
        return FAULT_NO_MEMORY;             /* chosen already, or no pool is dry */
    if (n_dying > 0)                        /* a victim is on its way out */
        return vm->oom_waits++ < OOM_WAIT_TICKS ? FAULT_OOM_WAIT : FAULT_NO_MEMORY;
    struct vm *victim = NULL;
    struct vm_footprint most = { 0 };
    for (struct list_elem *e = list_begin(&all_vms); e != list_end(&all_vms); e = list_next(e)) {
        struct vm *v = list_entry(e, struct vm, all_elem);
        struct vm_footprint fp = footprint(v);
        if (!victim || fp.total > most.total || (fp.total == most.total && v == vm)) {
            victim = v;
            most = fp;
        }
    }
    ASSERT(victim);                         /* VM itself is on the list */
    victim->oom_victim = true;
    n_dying++;
    if (vm_oom_kill_hook)
        vm_oom_kill_hook(victim, vm, &most);
    if (victim == vm)
        return FAULT_NO_MEMORY;
    vm->oom_waits = 1;
    return FAULT_OOM_WAIT;
}
