/* The IDT, interrupt dispatch and CPU exception reports (interrupt.h). */
#include "kernel/interrupt.h"
#include "kernel/console.h"
#include "kernel/dev/pic.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/thread.h"

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256];
static intr_handler_fn *handlers[256];
static const char *names[256];
static bool in_external_intr;
static bool yield_on_return;

static const char *const exception_names[32] = {
    "#DE Divide Error", "#DB Debug", "NMI Interrupt", "#BP Breakpoint",
    "#OF Overflow", "#BR BOUND Range Exceeded", "#UD Invalid Opcode",
    "#NM Device Not Available", "#DF Double Fault", "Coprocessor Segment Overrun",
    "#TS Invalid TSS", "#NP Segment Not Present", "#SS Stack Fault",
    "#GP General Protection", "#PF Page Fault", "Reserved 15",
    "#MF x87 FPU Floating-Point Error", "#AC Alignment Check", "#MC Machine Check",
    "#XM SIMD Floating-Point Exception", "#VE Virtualization Exception",
    "#CP Control Protection", "Reserved 22", "Reserved 23", "Reserved 24",
    "Reserved 25", "Reserved 26", "Reserved 27", "#HV Hypervisor Injection",
    "#VC VMM Communication", "#SX Security Exception", "Reserved 31",
};

static void set_gate(int vec, int dpl)
{
    uint64_t off = (uint64_t)(intr_stubs + 16 * vec);
    idt[vec] = (struct idt_gate){
        .off_lo = off & 0xffff,
        .sel = 0x08,
        .ist = 0,
        .type = 0x8e | (dpl << 5),   /* present, interrupt gate (IF cleared) */
        .off_mid = (off >> 16) & 0xffff,
        .off_hi = off >> 32,
    };
}

void intr_init(void)
{
    pic_init();
    for (int v = 0; v < 256; v++)
        set_gate(v, 0);
    /* `int3` is the breakpoint instruction programs are meant to use, so
     * its gate is open to user mode and it raises #BP (a program's `int3`
     * is killed as a breakpoint, not as a #GP).  No other exception vector
     * is: `int $N` for one of them is a #GP, so a handler never sees a
     * frame that lacks the error code its vector pushes.  System-call
     * layers open their own vectors with intr_register_int. */
    set_gate(3, 3);
    for (int v = 0; v < 32; v++)
        names[v] = exception_names[v];
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void intr_register_irq(int irq, intr_handler_fn *handler, const char *name)
{
    enum intr_level old = intr_disable();
    handlers[PIC_VECTOR_BASE + irq] = handler;
    names[PIC_VECTOR_BASE + irq] = name;
    pic_unmask(irq);
    intr_set_level(old);
}

void intr_register_int(int vec, int dpl, intr_handler_fn *handler, const char *name)
{
    handlers[vec] = handler;
    names[vec] = name;
    set_gate(vec, dpl);
}

void intr_register_exception(int vec, intr_handler_fn *handler)
{
    handlers[vec] = handler;
}

enum intr_level intr_get_level(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=g"(flags));
    return (flags & (1 << 9)) ? INTR_ON : INTR_OFF;
}

enum intr_level intr_set_level(enum intr_level level)
{
    return level == INTR_ON ? intr_enable() : intr_disable();
}

enum intr_level intr_enable(void)
{
    enum intr_level old = intr_get_level();
    ASSERT(!in_external_intr);
    __asm__ volatile("sti" : : : "memory");
    return old;
}

enum intr_level intr_disable(void)
{
    enum intr_level old = intr_get_level();
    __asm__ volatile("cli" : : : "memory");
    return old;
}

bool intr_context(void) { return in_external_intr; }

void intr_yield_on_return(void)
{
    ASSERT(in_external_intr);
    yield_on_return = true;
}

const char *intr_name(int vec)
{
    return names[vec] ? names[vec] : "unknown";
}

/* See interrupt.h.  Any context; writes to both streams without the
 * console lock (a panic path).  CR2 appears only for a
 * page fault: no other exception sets it, and the value it keeps from an
 * earlier fault would point the reader at the wrong address. */
void intr_dump_frame(const struct intr_frame *f)
{
    char cr2[32] = "";
    if (f->vec_no == 14)
        snprintf(cr2, sizeof cr2, " cr2=0x%lx", read_cr2());
    char buf[640];
    int n = snprintf(buf, sizeof buf,
        "Exception %s (#%lu) error=0x%lx rip=0x%lx%s%s\n"
        " rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n"
        " rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n"
        "  r8=%016lx  r9=%016lx r10=%016lx r11=%016lx\n"
        " r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n"
        " cs=%lx ss=%lx rflags=%lx\n",
        intr_name(f->vec_no), f->vec_no, f->error_code, f->rip, cr2,
        (f->cs & 3) ? " (user)" : " (kernel)",
        f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
        f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15,
        f->cs, f->ss, f->rflags);
    console_emergency(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void (*intr_user_return_hook)(struct intr_frame *f);

/* An exception nobody handled: in the kernel that is a bug. */
void intr_unhandled(struct intr_frame *f)
{
    intr_dump_frame(f);
    backtrace_print((void *)f->rbp);
    PANIC("unhandled %s at rip 0x%lx", intr_name(f->vec_no), f->rip);
}

/* Called from intr_common with interrupts off. */
void intr_dispatch(struct intr_frame *f)
{
    int vec = f->vec_no;
    bool external = vec >= PIC_VECTOR_BASE && vec < PIC_VECTOR_BASE + 16;

    if (f->cs & 3)
        thread_entered_kernel();

    if (external) {
        int irq = vec - PIC_VECTOR_BASE;
        /* Spurious IRQ 7/15: no EOI for 7, EOI to the master for 15. */
        if ((irq == 7 || irq == 15) && !handlers[vec]) {
            if (irq == 15)
                pic_eoi(0);
            return;
        }
        in_external_intr = true;
        yield_on_return = false;
    }

    if (handlers[vec])
        handlers[vec](f);
    else if (vec < 32)
        intr_unhandled(f);
    else if (!external)
        printk("unexpected interrupt %d (%s)\n", vec, intr_name(vec));

    if (external) {
        pic_eoi(vec - PIC_VECTOR_BASE);
        in_external_intr = false;
        if (yield_on_return)
            thread_yield();
    }
    if ((f->cs & 3) && intr_user_return_hook)
        intr_user_return_hook(f);
}
