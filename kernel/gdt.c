/* TSS setup (see gdt.h). */
#include "kernel/gdt.h"
#include "mm/layout.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb;
} __attribute__((packed));

static struct tss tss;
extern uint64_t gdt64[];      /* 7 entries, at its physical (low) address */

void gdt_init(void)
{
    uint64_t *gdt = (uint64_t *)((uint64_t)gdt64 + KERNEL_VMA);
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    tss.iopb = sizeof tss;    /* no I/O permission bitmap */
    /* 16-byte system descriptor: type 9 (available 64-bit TSS), present. */
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40)
           | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr = { 7 * 8 - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0" : : "m"(gdtr));
    __asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
}

void tss_set_rsp0(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}
