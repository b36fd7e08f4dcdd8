/* 8259A programmable interrupt controllers (see pic.h). */
#include "kernel/dev/pic.h"
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/layout.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

static uint16_t mask = 0xffff & ~(1 << 2);   /* cascade line always open */

static void write_mask(void)
{
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

#define CPUID_EDX_APIC (1u << 9)
#define APIC_BASE_ADDR_MASK 0xFFFFF000u
#define APIC_SVR 0xF0                 /* spurious vector; bit 8 enables */
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_SVR_ENABLE 0x100
#define APIC_SPURIOUS_VECTOR 0xFF
#define LVT_EXTINT 0x700              /* delivery mode ExtINT, unmasked */
#define LVT_NMI 0x400                 /* delivery mode NMI, unmasked */

/* The PIC's output reaches the CPU through the local APIC's LINT0 pin,
 * and only when LINT0 is programmed as ExtINT ("virtual wire"): SeaBIOS
 * does that, qboot leaves LINT0 masked as at reset, and then no PIC
 * interrupt arrives (QEMU routes the PIC through LINT0 even when the
 * APIC is turned off in IA32_APIC_BASE).  So the kernel sets up virtual
 * wire itself, as SeaBIOS does: the APIC enabled, LINT0 ExtINT, LINT1
 * NMI.  Its registers are reached through the direct map, which covers
 * them (below 4 GiB).  Boot thread, interrupts off. */
static void local_apic_virtual_wire(void)
{
    uint32_t r[4];
    cpu_cpuid(1, 0, r);
    if (!(r[3] & CPUID_EDX_APIC))
        return;
    uint64_t base = cpu_rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        return;                       /* off: the PIC drives the CPU directly */
    volatile uint32_t *apic = ptov(base & APIC_BASE_ADDR_MASK);
    apic[APIC_SVR / 4] = APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR;
    apic[APIC_LVT_LINT0 / 4] = LVT_EXTINT;
    apic[APIC_LVT_LINT1 / 4] = LVT_NMI;
}

void pic_init(void)
{
    local_apic_virtual_wire();
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, 0x11);                 /* ICW1: edge, cascade, ICW4 */
    outb(PIC1_DATA, PIC_VECTOR_BASE);     /* ICW2: vector base */
    outb(PIC1_DATA, 0x04);                /* ICW3: slave on IRQ 2 */
    outb(PIC1_DATA, 0x01);                /* ICW4: 8086 mode */
    outb(PIC2_CMD, 0x11);
    outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
    outb(PIC2_DATA, 0x02);
    outb(PIC2_DATA, 0x01);
    write_mask();
}

/* Caller runs with interrupts off (at registration time). */
void pic_unmask(int irq)
{
    mask &= ~(1 << irq);
    write_mask();
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, 0x20);
    outb(PIC1_CMD, 0x20);
}
