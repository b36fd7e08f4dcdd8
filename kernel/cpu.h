/* The CPU's protection features: what the boot code and cpu_init() turned
 * on (docs/kernel.md, "What a program can do to the CPU").
 *
 *   NX    EFER.NXE (boot/multiboot2.S): no-execute page-table bit
 *   SMEP  CR4.SMEP: the kernel cannot execute a user page
 *   SMAP  CR4.SMAP: the kernel cannot read or write a user page (Folio
 *         reaches user memory only through kernel aliases of its frames,
 *         so it never needs stac/clac)
 *   UMIP  CR4.UMIP: sgdt, sidt, sldt, str and smsw are privileged
 *
 * Each is on exactly when CPUID reports it. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR0_NE (1UL << 5)
#define CR0_WP (1UL << 16)
#define CR0_AM (1UL << 18)
#define CR4_UMIP (1UL << 11)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)
#define EFER_SCE (1UL << 0)
#define EFER_NXE (1UL << 11)
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1UL << 11)  /* the local APIC is on */
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084

struct cpu_protection {
    bool nx, smep, smap, umip;
};
extern struct cpu_protection cpu_protection;

/* Read CPUID, turn on SMEP, SMAP and UMIP where the CPU has them, and log
 * what is on.  Once, at boot, before any user mapping exists. */
void cpu_init(void);

/* CPUID leaf LEAF, subleaf SUB, into R: eax, ebx, ecx, edx.  Any context. */
void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
uint64_t cpu_rdmsr(uint32_t msr);
void cpu_wrmsr(uint32_t msr, uint64_t value);
uint64_t cpu_read_cr0(void);
uint64_t cpu_read_cr4(void);

#endif
