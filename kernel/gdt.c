/* TSS setup (see gdt.h).
 *
 * What user mode can reach in these tables (docs/kernel.md, "What a
 * program can do to the CPU"):
 *   - GDT: only the two DPL-3 entries, 0x18 (data) and 0x20 (64-bit
 *     code).  There is no 32-bit code segment, so a program cannot leave
 *     64-bit mode; the kernel entries are DPL 0 and the TSS is a system
 *     descriptor, so loading any of them is a #GP.
 *   - LDT: null, loaded here and never changed, so a selector with TI=1
 *     is a #GP before the CPU reads any memory.  (Left at its reset value
 *     the LDT register would point at linear 0 with limit 0xffff, i.e. at
 *     user memory.)
 *   - TSS: the I/O permission bitmap offset lies past the TSS limit, so
 *     there is no bitmap and, with IOPL 0, every `in`/`out` from user mode
 *     is a #GP; no IST stacks. */
#include "kernel/gdt.h"
#include "kernel/layout.h"

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
    tss.iopb = sizeof tss;    /* past the limit: no bitmap, every port denied */
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
    __asm__ volatile("lldt %w0" : : "r"((uint16_t)0));
}

void tss_set_rsp0(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}
