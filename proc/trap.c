/* User exceptions, page faults and `int $0x42` (see trap.h).
 *
 * An exception raised in user mode kills the process with -1, after a
 * fault notice on the kernel log (never on the console, so expected
 * outputs need not allow for it).  The same exception in kernel mode is a
 * kernel bug and panics.  A page fault in user mode goes to the VM layer
 * first (vm_fault, mm/fault.c), and only a verdict other than "resolved"
 * kills; the notice names the rule that fired. */
#include "proc/trap.h"
#include "kernel/dev/block.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/thread.h"
#include "mm/vm.h"
#include "proc/process.h"

#define FRAME_QUERY_VECTOR 0x42
#define DISK_READS_VECTOR 0x43         /* Pintos's get_fs_disk_read_cnt */
#define DISK_WRITES_VECTOR 0x44        /* ... and get_fs_disk_write_cnt */
#define PAGE_FAULT_VECTOR 14
#define NMI_VECTOR 2

/* The page-fault error code's bits. */
#define PF_PRESENT 0x1           /* the PTE was present: a protection violation */
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_FETCH 0x10            /* an instruction fetch (with EFER.NXE or SMEP on) */

/* Any exception but a page fault; interrupts off on entry.  User mode:
 * kill the process.  Kernel mode: panic.  The notice has no CR2: only a
 * page fault writes it, so for any other vector it would show the address
 * of some earlier page fault, of this process or another. */
static void user_exception(struct intr_frame *f)
{
    if (!(f->cs & 3))
        intr_unhandled(f);
    struct process *p = process_current();
    printk("fault: %s (pid %d): %s error=0x%lx rip=0x%lx rsp=0x%lx: killed\n",
           p->name, p->pid, intr_name(f->vec_no), f->error_code, f->rip, f->rsp);
    intr_enable();
    process_exit(-1);
}

/* Vector 14; interrupts off on entry, turned on before the VM layer runs
 * (it sleeps on the VM lock and the disk).  Kernel mode: panic.
 *
 * User or kernel is the privilege level the CPU was at (the saved CS),
 * not the error code's user bit: that bit is clear for the accesses the
 * CPU makes at supervisor level on behalf of user code, such as reading a
 * descriptor of the LDT when a program loads a selector, and such a fault
 * is the program's, to be killed for, not a kernel bug. */
static void page_fault(struct intr_frame *f)
{
    uint64_t addr = read_cr2();            /* before anything can fault again */
    if (!(f->cs & 3) || !thread_current()->process)
        intr_unhandled(f);
    intr_enable();
    struct process *p = process_current();
    bool write = f->error_code & PF_WRITE, present = f->error_code & PF_PRESENT;
    bool fetch = f->error_code & PF_FETCH;
    enum fault_verdict v = vm_fault(&p->vm, addr, write, present, fetch, f);
    if (v == FAULT_RESOLVED)
        return;
    printk("fault: %s (pid %d): %s at 0x%lx (%s, %s, %s) rip=0x%lx rsp=0x%lx: killed\n",
           p->name, p->pid, fault_verdict_name(v), addr,
           write ? "write" : fetch ? "fetch" : "read",
           present ? "present" : "not present",
           f->error_code & PF_USER ? "user access" : "supervisor access", f->rip, f->rsp);
    process_exit(-1);
}

/* rax = a user address in, the page-aligned physical address of the
 * frame backing it out (0 when none).  Takes the VM lock. */
static void frame_query(struct intr_frame *f)
{
    intr_enable();                      /* the VM lock may have to wait */
    f->rax = vm_frame_phys(&process_current()->vm, f->rax);
}

/* rax out = sectors read from the file-system (payload) disk since boot,
 * 0 without one.  Pintos passes the disk's channel and number in rdx and
 * rcx; its programs always name its file-system disk, so they are not
 * looked at.  The block layer's counters are atomic: no lock. */
static void disk_reads(struct intr_frame *f)
{
    struct block *b = block_get_role(BLOCK_PAYLOAD);
    f->rax = b ? __atomic_load_n(&b->read_sectors, __ATOMIC_RELAXED) : 0;
}

/* rax out = sectors written to the file-system disk since boot. */
static void disk_writes(struct intr_frame *f)
{
    struct block *b = block_get_role(BLOCK_PAYLOAD);
    f->rax = b ? __atomic_load_n(&b->write_sectors, __ATOMIC_RELAXED) : 0;
}

/* Boot, before any process: every CPU exception once. */
void trap_init(void)
{
    for (int vec = 0; vec < 32; vec++)
        if (vec != NMI_VECTOR && vec != PAGE_FAULT_VECTOR)   /* NMI is never the program's */
            intr_register_exception(vec, user_exception);
    intr_register_exception(PAGE_FAULT_VECTOR, page_fault);
    intr_register_int(FRAME_QUERY_VECTOR, 3, frame_query, "frame query");
    intr_register_int(DISK_READS_VECTOR, 3, disk_reads, "fs disk reads");
    intr_register_int(DISK_WRITES_VECTOR, 3, disk_writes, "fs disk writes");
}
