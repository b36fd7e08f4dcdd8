/* CPU protection features (see cpu.h). */
#include "kernel/cpu.h"
#include "kernel/console.h"

struct cpu_protection cpu_protection;

void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

uint64_t cpu_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

void cpu_wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
                     "d"((uint32_t)(value >> 32)));
}

uint64_t cpu_read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

uint64_t cpu_read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static const char *on_off(bool on)
{
    return on ? "on" : "off (the CPU lacks it)";
}

void cpu_init(void)
{
    uint32_t r[4];
    cpu_cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    if (max_leaf >= 7) {
        cpu_cpuid(7, 0, r);
        cpu_protection.smep = r[1] & (1u << 7);
        cpu_protection.smap = r[1] & (1u << 20);
        cpu_protection.umip = r[2] & (1u << 2);
    }
    cpu_protection.nx = cpu_rdmsr(MSR_EFER) & EFER_NXE;   /* set by the boot code */

    uint64_t cr4 = cpu_read_cr4();
    if (cpu_protection.smep)
        cr4 |= CR4_SMEP;
    if (cpu_protection.smap)
        cr4 |= CR4_SMAP;
    if (cpu_protection.umip)
        cr4 |= CR4_UMIP;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
    printk("cpu: NX %s, SMEP %s, SMAP %s, UMIP %s\n", on_off(cpu_protection.nx),
           on_off(cpu_protection.smep), on_off(cpu_protection.smap),
           on_off(cpu_protection.umip));
}
