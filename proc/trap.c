/* User exceptions and `int $0x42` (see trap.h).
 *
 * An exception raised in user mode kills the process with -1, after a
 * fault notice on the kernel log (never on the console, so expected
 * outputs need not allow for it).  The same exception in kernel mode is a
 * kernel bug and panics.  Page faults are left to the VM layer when it
 * registers its own handler. */
#include "proc/trap.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "mm/layout.h"
#include "proc/process.h"

#define FRAME_QUERY_VECTOR 0x42

static void user_exception(struct intr_frame *f)
{
    if (!(f->cs & 3))
        intr_unhandled(f);
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    struct process *p = process_current();
    printk("fault: %s (pid %d): %s error=0x%lx rip=0x%lx cr2=0x%lx rsp=0x%lx: killed\n",
           p->name, p->pid, intr_name(f->vec_no), f->error_code, f->rip, cr2, f->rsp);
    intr_enable();
    process_exit(-1);
}

/* rax = a user address in, the page-aligned physical address of the
 * frame backing it out (0 when none). */
static void frame_query(struct intr_frame *f)
{
    intr_enable();                      /* the VM lock may have to wait */
    f->rax = vm_frame_phys(&process_current()->vm, f->rax);
}

void trap_init(void)
{
    for (int vec = 0; vec < 32; vec++)
        if (vec != 2)                       /* NMI is never the program's */
            intr_register_exception(vec, user_exception);
    intr_register_int(FRAME_QUERY_VECTOR, 3, frame_query, "frame query");
}
