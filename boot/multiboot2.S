/* Multiboot2 header, 32-bit entry and the switch to long mode.
 *
 * GRUB enters _start32 in 32-bit protected mode, paging off, with
 * eax = 0x36d76289 and ebx = physical address of the boot information.
 * We build early page tables:
 *   identity (PML4[0])                 - the first 4 GiB, 2 MiB pages, for
 *                                        the instructions after CR0.PG,
 *   direct map at 0xffff800000000000   - PML4[256], the same 4 GiB, kept
 *                                        for good, no-execute,
 *   kernel image at 0xffffffff80000000 - PML4[511], the image only, 4 KiB
 *                                        pages: text read-only and
 *                                        executable, rodata read-only,
 *                                        the rest writable, no-execute,
 * (no-execute only when the CPU has NX), enable PAE + long mode (+ NX),
 * load a 64-bit GDT and jump to kmain(magic, mbi_phys) in the higher
 * half.  The identity map is removed by kernel/pagetable.c once the kernel
 * runs high, so from then on only the image's text is executable. */

#include "boot/headers.h"

#define KERNEL_VMA 0xffffffff80000000

    multiboot2_header _start32

    .section .boot.bss, "aw", @nobits
    .align 4096
    .globl boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096          /* 4 GiB: identity and direct map */
boot_pdpt_high: .skip 4096          /* kernel image */
boot_pd:        .skip 4096 * 4      /* 2048 x 2 MiB pages = 4 GiB */
boot_pd_kernel: .skip 4096          /* the image: entries 0 and 1 */
boot_pt_kernel: .skip 4096 * 2      /* 4 KiB pages, physical 0..4 MiB */
boot_stack32:   .skip 4096
boot_stack32_top:

    .section .boot.data, "aw"
    .align 16
    /* GDT: null, kernel code, kernel data, user data, user code, TSS (two
     * slots, filled by kernel/gdt.c).  The order suits syscall/sysret:
     * STAR selects kernel CS 0x08 / SS 0x10 and user SS 0x1b / CS 0x23. */
    .globl gdt64
gdt64:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08 kernel code, L=1 */
    .quad 0x00cf92000000ffff        /* 0x10 kernel data */
    .quad 0x00cff2000000ffff        /* 0x18 user data, DPL 3 */
    .quad 0x00affa000000ffff        /* 0x20 user code, DPL 3, L=1 */
    .quad 0, 0                      /* 0x28 TSS */
gdt64_end:
    .globl gdt64_ptr32
gdt64_ptr32:
    .short gdt64_end - gdt64 - 1
    .long gdt64

    .section .boot.text, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    mov $boot_stack32_top, %esp
    mov %eax, %edi                  /* multiboot magic -> kmain arg 1 */
    mov %ebx, %esi                  /* boot information -> kmain arg 2 */

    /* Long mode is required; without it report on COM1 and halt. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode
    mov %edx, %ebp                  /* keep extended features (NX = bit 20) */

    /* Page directories: 2048 entries of 2 MiB, present + writable + PS. */
    mov $boot_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%ebx,%ecx,8)
    mov %ecx, %eax
    shr $11, %eax                   /* high dword: bits 32+ of ecx << 21 */
    mov %eax, 4(%ebx,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jb 1b

    /* PDPT low: four directories cover 0..4 GiB. */
    mov $boot_pdpt_low, %ebx
    mov $boot_pd + 3, %eax
    mov %eax, 0(%ebx)
    add $4096, %eax
    mov %eax, 8(%ebx)
    add $4096, %eax
    mov %eax, 16(%ebx)
    add $4096, %eax
    mov %eax, 24(%ebx)
    /* ebp = the high dword of a no-execute entry: bit 63 (NX) when the
     * CPU has it (EFER.NXE is set below), else 0 (the bit is reserved). */
    and $(1 << 20), %ebp
    shl $11, %ebp

    /* The image's page table: page n maps physical n * 4096, from the
     * image's first page to its last (kernel.ld); nothing below it. */
    mov $_kernel_phys_start, %ecx
    shr $12, %ecx
5:  mov %ecx, %eax
    shl $12, %eax
    xor %edx, %edx
    cmp $_text_phys_start, %eax
    jb 6f                           /* the boot sections: data */
    cmp $_rodata_phys_start, %eax
    jb 7f                           /* text: present, executable */
    mov %ebp, %edx
    cmp $_data_phys_start, %eax
    jb 7f                           /* rodata: present, no-execute */
6:  mov %ebp, %edx                  /* data, bss: writable, no-execute */
    or $2, %eax
7:  or $1, %eax
    mov %eax, boot_pt_kernel(,%ecx,8)
    mov %edx, boot_pt_kernel + 4(,%ecx,8)
    inc %ecx
    cmp $_kernel_phys_pages, %ecx
    jb 5b
    mov $boot_pt_kernel + 3, %eax
    mov %eax, boot_pd_kernel
    add $4096, %eax
    mov %eax, boot_pd_kernel + 8

    /* PDPT high: entry 510 = the image's directory at 0xffffffff80000000. */
    mov $boot_pd_kernel + 3, %eax
    mov %eax, boot_pdpt_high + 510 * 8
    /* PML4: 0 and 256 share the low PDPT, 511 the high one; the direct
     * map (256) is no-execute as a whole. */
    mov $boot_pdpt_low + 3, %eax
    mov %eax, boot_pml4
    mov %eax, boot_pml4 + 256 * 8
    mov %ebp, boot_pml4 + 256 * 8 + 4
    mov $boot_pdpt_high + 3, %eax
    mov %eax, boot_pml4 + 511 * 8

    /* CR4: PAE, PGE, OSFXSR, OSXMMEXCPT (SSE usable by user programs). */
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7) | (1 << 9) | (1 << 10)), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    /* EFER: LME, SCE (syscall), NXE when available. */
    mov $0xc0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 0)), %eax
    test %ebp, %ebp
    jz 2f
    or $(1 << 11), %eax
2:  wrmsr
    /* CR0: PG, WP, NE, MP; clear EM and TS. */
    mov %cr0, %eax
    or $((1 << 31) | (1 << 18) | (1 << 16) | (1 << 5) | (1 << 1)), %eax
    and $~((1 << 2) | (1 << 3)), %eax
    mov %eax, %cr0

    lgdt gdt64_ptr32
    ljmp $0x08, $long_mode_low

no_long_mode:
    mov $no_lm_msg, %esi
3:  lodsb
    test %al, %al
    jz 4f
    mov $0x3f8, %dx
    out %al, %dx
    jmp 3b
4:  hlt
    jmp 4b

    .code64
long_mode_low:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp
    push $0                         /* fake return address ends backtraces */
    movabs $kmain, %rax
    jmp *%rax

no_lm_msg:
    .asciz "Folio: this CPU has no long mode\n"

    .section .bss
    .align 16
boot_stack:
    .skip 16384
    .globl boot_stack_top
boot_stack_top:
