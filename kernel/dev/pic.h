/* The two 8259A PICs, remapped so IRQ n arrives on vector 0x20 + n. */
#ifndef KERNEL_DEV_PIC_H
#define KERNEL_DEV_PIC_H

#define PIC_VECTOR_BASE 0x20

void pic_init(void);           /* remap, all lines masked, APIC virtual wire */
void pic_unmask(int irq);
void pic_eoi(int irq);

#endif
