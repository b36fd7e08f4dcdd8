/* Self-tests of the CPU protection set up at boot (kernel/cpu.h,
 * kernel/gdt.c, kernel/flags.h, boot/multiboot2.S; docs/kernel.md, "What a
 * program can do to the CPU").
 *
 * `prot` reads the state back and passes: descriptor tables, control
 * registers, MSRs and the permissions of the kernel's own mappings.
 *
 * The others are deliberate failures: each makes the kernel do one thing
 * the protection forbids, which must end in a kernel page-fault panic;
 * the harness test checks the fault report (error code, rip, cr2) with a
 * `log` pattern.  A test whose protection is off (the CPU lacks it) says
 * so and returns, and then fails for want of a panic. */
#include "kernel/cpu.h"
#include "kernel/flags.h"
#include "kernel/gdt.h"
#include "kernel/panic.h"
#include "kernel/selftest.h"
#include "kernel/layout.h"
#include "kernel/pagetable.h"
#include "kernel/palloc.h"

#define PROBE_VA 0x400000UL      /* the user page of the smep/smap tests */
#define GDT_ENTRIES 7
#define IDT_VECTORS 256
#define FRAME_QUERY_VECTOR 0x42
#define DISK_READS_VECTOR 0x43
#define DISK_WRITES_VECTOR 0x44

extern char _text_start[], _rodata_start[], _data_start[], _kernel_end[];

struct perm {
    bool present, write, user, exec;
};

/* The effective permissions of VA in the current address space: writable
 * and user only when every level says so, executable unless a level has
 * NX. */
static struct perm lookup(uint64_t va)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    const uint64_t *table = ptov(cr3 & PTE_ADDR);
    struct perm p = { true, true, true, true };
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t e = table[(va >> shift) & 511];
        if (!(e & PTE_P))
            return (struct perm){ false, false, false, false };
        p.write &= (e & PTE_W) != 0;
        p.user &= (e & PTE_U) != 0;
        p.exec &= !(e & PTE_NX);
        if (shift == 12 || (shift < 39 && (e & PTE_PS)))
            break;
        table = ptov(e & PTE_ADDR);
    }
    return p;
}

/* Every page of [START, END) must be present, kernel-only, writable when
 * WRITE and executable when EXEC (or when the CPU has no NX). */
static void check_range(const char *what, uint64_t start, uint64_t end,
                        bool write, bool exec)
{
    bool want_exec = exec || !cpu_protection.nx;
    for (uint64_t va = start; va < end; va += PGSIZE) {
        struct perm p = lookup(va);
        if (!p.present || p.user || p.write != write || p.exec != want_exec) {
            st_fail("%s page 0x%lx: present %d user %d write %d exec %d",
                    what, va, p.present, p.user, p.write, p.exec);
            return;
        }
    }
    st_msg("%s: %s%s, kernel only", what, write ? "read-write" : "read-only",
           want_exec ? ", executable" : ", no-execute");
}

static void check_mappings(void)
{
    check_range("kernel text", (uint64_t)_text_start, (uint64_t)_rodata_start,
                false, true);
    check_range("kernel rodata", (uint64_t)_rodata_start, (uint64_t)_data_start,
                false, false);
    check_range("kernel data and bss", (uint64_t)_data_start,
                pg_round_up(_kernel_end), true, false);
    void *page = palloc_get_page(PAL_ASSERT);
    uint64_t dmap = (uint64_t)page;
    palloc_free_page(page);
    check_range("direct map", dmap, dmap + PGSIZE, true, false);
    check_range("direct map of the kernel text", (uint64_t)ptov(vtop(_text_start)),
                (uint64_t)ptov(vtop(_text_start)) + PGSIZE, true, false);
    ST_CHECK(!lookup(KERNEL_VMA).present && !lookup(pg_round_up(_kernel_end)).present,
             "the image alias maps more than the image");
    ST_CHECK(!lookup(0x100000).present, "the boot identity map is still there");
    st_msg("nothing else is mapped at the image alias or at low addresses");
}

static void check_registers(void)
{
    uint64_t cr0 = cpu_read_cr0(), cr4 = cpu_read_cr4();
    ST_CHECK((cr0 & (CR0_WP | CR0_NE | CR0_MP | CR0_AM)) == (CR0_WP | CR0_NE | CR0_MP | CR0_AM),
             "CR0 0x%lx lacks WP, NE, MP or AM", cr0);
    ST_CHECK(!(cr0 & (CR0_EM | CR0_TS)), "CR0 0x%lx has EM or TS", cr0);
    ST_CHECK(!!(cr4 & CR4_SMEP) == cpu_protection.smep
             && !!(cr4 & CR4_SMAP) == cpu_protection.smap
             && !!(cr4 & CR4_UMIP) == cpu_protection.umip,
             "CR4 0x%lx disagrees with CPUID", cr4);
    uint64_t efer = cpu_rdmsr(MSR_EFER);
    ST_CHECK((efer & EFER_SCE) && !!(efer & EFER_NXE) == cpu_protection.nx,
             "EFER 0x%lx", efer);
    ST_CHECK(cpu_rdmsr(MSR_FMASK) == FLAGS_SYSCALL_MASK, "IA32_FMASK 0x%lx",
             cpu_rdmsr(MSR_FMASK));
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    ST_CHECK(!(flags & (FLAG_IOPL | FLAG_NT | FLAG_AC | FLAG_DF)),
             "kernel RFLAGS 0x%lx", flags);
    st_msg("NX %s, SMEP %s, SMAP %s, UMIP %s", cpu_protection.nx ? "on" : "off",
           cpu_protection.smep ? "on" : "off", cpu_protection.smap ? "on" : "off",
           cpu_protection.umip ? "on" : "off");
    st_msg("CR0 WP NE MP AM, no EM or TS; CR4 and EFER as CPUID says; "
           "syscall clears every flag");
}

struct table_reg {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void check_gdt(void)
{
    struct table_reg gdtr;
    uint16_t ldtr, tr;
    __asm__ volatile("sgdt %0; sldt %1; str %2" : "=m"(gdtr), "=r"(ldtr), "=r"(tr));
    ST_CHECK(ldtr == 0, "LDTR is 0x%x, not null", ldtr);
    ST_CHECK(gdtr.limit == GDT_ENTRIES * 8 - 1, "GDT limit %u", gdtr.limit);
    const uint64_t *gdt = (const uint64_t *)gdtr.base;
    for (int i = 1; i < 5; i++) {           /* the segment descriptors */
        uint64_t d = gdt[i];
        int dpl = (d >> 45) & 3;
        bool code = (d >> 43) & 1, long_mode = (d >> 53) & 1;
        bool user_entry = i * 8 == (SEL_UDATA & ~3) || i * 8 == (SEL_UCODE & ~3);
        ST_CHECK(dpl == (user_entry ? 3 : 0), "GDT entry %d has DPL %d", i, dpl);
        ST_CHECK(!code || long_mode, "GDT entry %d is a 32-bit code segment", i);
    }
    uint64_t tss_d = gdt[SEL_TSS / 8];
    uint64_t tss_base = ((tss_d >> 16) & 0xffffff) | ((tss_d >> 56) << 24)
                      | (gdt[SEL_TSS / 8 + 1] << 32);
    uint32_t tss_limit = (tss_d & 0xffff) | (((tss_d >> 48) & 0xf) << 16);
    uint16_t iopb = *(const uint16_t *)(tss_base + 102);
    ST_CHECK(tr == SEL_TSS && ((tss_d >> 40) & 0xf) == 0xb,
             "TR 0x%x, TSS type 0x%lx", tr, (tss_d >> 40) & 0xf);
    ST_CHECK(iopb > tss_limit, "I/O bitmap at %u within the TSS limit %u", iopb, tss_limit);
    st_msg("LDT null; DPL 3 only for the user code and data segments; "
           "no 32-bit code segment; TSS without I/O bitmap");
}

static void check_idt(void)
{
    struct table_reg idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    ST_CHECK(idtr.limit == IDT_VECTORS * 16 - 1, "IDT limit %u", idtr.limit);
    const uint8_t *gate = (const uint8_t *)idtr.base;
    for (int v = 0; v < IDT_VECTORS; v++, gate += 16) {
        uint8_t type = gate[5];
        int dpl = (type >> 5) & 3;
        bool open = v == 3 || v == FRAME_QUERY_VECTOR || v == DISK_READS_VECTOR
                    || v == DISK_WRITES_VECTOR;
        ST_CHECK((type & 0x9f) == 0x8e, "vector %d: gate type 0x%x", v, type);
        ST_CHECK(dpl == (open ? 3 : 0), "vector %d: DPL %d", v, dpl);
        ST_CHECK(*(const uint16_t *)(gate + 2) == SEL_KCODE && (gate[4] & 7) == 0,
                 "vector %d: selector or IST", v);
    }
    st_msg("256 interrupt gates to kernel code, DPL 3 only for 3 and 0x42..0x44");
}

void selftest_prot(void)
{
    check_mappings();
    check_registers();
    check_gdt();
    check_idt();
}

/* --- deliberate failures --- */

typedef void probe_fn(void);

/* A user page at PROBE_VA holding BYTE, in a new address space that is
 * made current (the test ends in a panic, so nothing is freed). */
static void map_probe_page(uint8_t byte)
{
    uint64_t *pml4 = pml4_create();
    uint8_t *page = palloc_get_page(PAL_ASSERT | PAL_ZERO);
    /* pt_walk, not pt_map: a second caller of pt_map would keep the
     * compiler from inlining it into the fault path. */
    uint64_t *pte = pml4 ? pt_walk(pml4, PROBE_VA, true) : NULL;
    if (!pte)
        PANIC("no memory for the probe page");
    *pte = vtop(page) | PTE_P | PTE_W | PTE_U;
    page[0] = byte;
    pml4_activate(pml4);
}

/* Read the probe page the sanctioned way for a CPU with SMAP: stac. */
static uint8_t read_probe_with_stac(void)
{
    uint8_t b;
    __asm__ volatile("stac; movb (%1), %0; clac" : "=r"(b) : "r"(PROBE_VA) : "memory");
    return b;
}

void selftest_smep(void)
{
    if (!cpu_protection.smep || !cpu_protection.smap) {
        st_fail("SMEP or SMAP is off: this CPU lacks it");
        return;
    }
    map_probe_page(0xc3);                    /* ret */
    st_msg("user page 0x%lx holds 0x%x (ret), read with stac", PROBE_VA,
           read_probe_with_stac());
    st_msg("calling it must fault (instruction fetch, supervisor) and panic");
    ((probe_fn *)PROBE_VA)();
    st_fail("the kernel executed a user page");
}

void selftest_smap(void)
{
    if (!cpu_protection.smap) {
        st_fail("SMAP is off: this CPU lacks it");
        return;
    }
    map_probe_page(0x5a);
    st_msg("user page 0x%lx holds 0x%x, read with stac", PROBE_VA,
           read_probe_with_stac());
    st_msg("reading it without stac must fault (read, supervisor) and panic");
    uint8_t b = *(volatile uint8_t *)PROBE_VA;
    st_fail("the kernel read 0x%x from a user page", b);
}

static void call_data(const char *what, uint8_t *code)
{
    if (!cpu_protection.nx) {
        st_fail("NX is off: this CPU lacks it");
        return;
    }
    code[0] = 0xc3;                          /* ret */
    st_msg("calling a ret in %s must fault (instruction fetch) and panic", what);
    ((probe_fn *)(uintptr_t)code)();
    st_fail("the kernel executed %s", what);
}

static uint8_t data_code[16] = { 0x90 };

void selftest_nx_data(void)
{
    call_data("the kernel's .data", data_code);
}

void selftest_nx_stack(void)
{
    volatile uint8_t code[16];
    call_data("the kernel stack", (uint8_t *)code);
}

void selftest_nx_dmap(void)
{
    call_data("a page of the direct map", palloc_get_page(PAL_ASSERT));
}

void selftest_wp_text(void)
{
    st_msg("writing to the kernel's text must fault (write, present) and panic");
    *(volatile uint8_t *)(uintptr_t)selftest_wp_text = 0xcc;   /* int3 */
    st_fail("the kernel wrote to its own text");
}
