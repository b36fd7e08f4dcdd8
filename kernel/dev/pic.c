/* 8259A programmable interrupt controllers (see pic.h). */
#include "kernel/dev/pic.h"
#include "kernel/io.h"

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

void pic_init(void)
{
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
