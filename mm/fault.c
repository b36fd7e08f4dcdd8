/* The page-fault path.  page_fault() only classifies the fault; small
 * handlers each return a verdict:
 *
 *   not resident (never loaded, or evicted) -> handle_not_resident
 *   no page, but a valid stack access       -> handle_stack_growth
 *   write to a present read-only page       -> handle_write_protect
 *   anything else                           -> invalid: kill
 *
 * A fault taken in kernel mode on a user address is a kernel bug in
 * Folio: system calls reach user memory only through vm_pin(), which
 * loads pages itself, so such a fault panics like any kernel fault. */
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/pagetable.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/vm_internal.h"
#include "proc/layout.h"
#include "proc/process.h"

#define PF_PRESENT 0x1           /* error code: protection violation */
#define PF_WRITE 0x2
#define PF_USER 0x4

static size_t n_loads, n_stack, n_killed, n_code_shares, n_cow_breaks, n_cow_reuses;
static size_t count_loads(void) { return n_loads; }
static size_t count_code_shares(void) { return n_code_shares; }
static size_t count_cow_breaks(void) { return n_cow_breaks; }
static size_t count_cow_reuses(void) { return n_cow_reuses; }
static size_t count_stack(void) { return n_stack; }
static size_t count_killed(void) { return n_killed; }

bool stack_growth_ok(uint64_t addr, uint64_t rsp)
{
    return addr >= USER_STACK_LIMIT && addr < USER_STACK && addr + 8 >= rsp;
}

enum fault_verdict page_load(struct page *p, bool pin)
{
    ASSERT_DEBUG(vm_lock_held());
    uint64_t key = p->ops->share_key(p);
    struct frame *f = key ? frame_cache_find(key) : NULL;
    if (f) {
        frame_pin(f);                       /* another process's copy of this code */
        n_code_shares++;
    } else {
        if (!(f = frame_alloc()))
            return FAULT_NO_MEMORY;
        if (!p->ops->swap_in(p, f->kva)) {
            frame_unpin(f);
            return FAULT_KILL;
        }
        if (key)
            frame_cache_add(f, key);
    }
    frame_attach(f, p);
    if (!frame_map_page(p)) {
        frame_detach(p);
        frame_unpin(f);
        return FAULT_NO_MEMORY;
    }
    if (!pin)
        frame_unpin(f);
    n_loads++;
    return FAULT_RESOLVED;
}

struct page *stack_grow(struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    struct page *p = spt_add(vm, va, true, &anon_ops);
    n_stack += p != NULL;
    return p;
}

static enum fault_verdict handle_not_resident(struct page *p, bool write)
{
    if (write && !p->writable)
        return FAULT_KILL;
    return page_load(p, false);
}

static enum fault_verdict handle_stack_growth(struct vm *vm, uint64_t va)
{
    struct page *p = stack_grow(vm, va);
    return p ? page_load(p, false) : FAULT_NO_MEMORY;
}

enum fault_verdict page_unshare(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct frame *old = p->frame;
    if (frame_holders(old) == 1) {          /* the last holder: no copy */
        n_cow_reuses++;
        return frame_map_page(p) ? FAULT_RESOLVED : FAULT_NO_MEMORY;
    }
    frame_pin(old);
    struct frame *copy = frame_alloc();
    if (!copy) {
        frame_unpin(old);
        return FAULT_NO_MEMORY;
    }
    memcpy(copy->kva, old->kva, PGSIZE);
    uint64_t *pte = pt_walk(p->vm->pml4, p->va, false);
    if (pte && (*pte & PTE_D))
        p->dirty = true;
    pt_unmap(p->vm->pml4, p->va);
    frame_detach(p);                        /* OLD stays: others hold it */
    frame_unpin(old);
    frame_attach(copy, p);
    bool ok = frame_map_page(p);
    frame_unpin(copy);
    n_cow_breaks++;
    return ok ? FAULT_RESOLVED : FAULT_NO_MEMORY;
}

/* A write to a present read-only page: copy-on-write when the page is
 * writable but its frame shared, otherwise a real violation. */
static enum fault_verdict handle_write_protect(struct page *p)
{
    return p->writable ? page_unshare(p) : FAULT_KILL;
}

enum fault_verdict vm_fault(struct vm *vm, uint64_t addr, bool write, bool present, uint64_t rsp)
{
    if (addr >= USER_TOP)
        return FAULT_KILL;
    uint64_t va = pg_round_down(addr);
    lock_acquire(&vm_lock);
    enum fault_verdict v;
    struct page *p = spt_find(vm, va);
    if (!p)
        v = stack_growth_ok(addr, rsp) ? handle_stack_growth(vm, va) : FAULT_KILL;
    else if (p->frame && present && write)
        v = handle_write_protect(p);
    else if (p->frame)
        v = present ? FAULT_KILL : (frame_map_page(p) ? FAULT_RESOLVED : FAULT_NO_MEMORY);
    else
        v = handle_not_resident(p, write);
    lock_release(&vm_lock);
    return v;
}

/* The CPU's page-fault handler (vector 14). */
static void page_fault(struct intr_frame *f)
{
    uint64_t addr;
    __asm__ volatile("mov %%cr2, %0" : "=r"(addr));
    if (!(f->error_code & PF_USER) || !thread_current()->process)
        intr_unhandled(f);
    intr_enable();                        /* faults may sleep on I/O */
    struct process *p = process_current();
    enum fault_verdict v = vm_fault(&p->vm, addr, f->error_code & PF_WRITE,
                                    f->error_code & PF_PRESENT, f->rsp);
    if (v == FAULT_RESOLVED)
        return;
    n_killed++;
    printk("fault: %s (pid %d): %s at 0x%lx (%s, %s) rip=0x%lx rsp=0x%lx: killed\n",
           p->name, p->pid, v == FAULT_NO_MEMORY ? "no frame or swap slot" : "invalid access",
           addr, f->error_code & PF_WRITE ? "write" : "read",
           f->error_code & PF_PRESENT ? "present" : "not present", f->rip, f->rsp);
    process_exit(-1);
}

void vm_fault_init(void)
{
    intr_register_exception(14, page_fault);
    accounting_register_counter("faults_load", count_loads);
    accounting_register_counter("faults_stack", count_stack);
    accounting_register_counter("faults_killed", count_killed);
    accounting_register_counter("code_shares", count_code_shares);
    accounting_register_counter("cow_breaks", count_cow_breaks);
    accounting_register_counter("cow_reuses", count_cow_reuses);
}
