/* RFLAGS bits, for C and assembly.
 *
 * The kernel's rules for them (docs/kernel.md, "Entry and exit"):
 *   - at `syscall` entry the CPU clears every flag in FLAGS_SYSCALL_MASK,
 *     so the kernel starts from RFLAGS = 0x2 whatever the program set;
 *     interrupt and exception gates clear TF, NT, RF and (interrupt gates)
 *     IF, and the entry stub clears AC and DF when it comes from user mode;
 *   - on every return to user mode intr_exit forces FLAGS_USER_FORBIDDEN
 *     off and IF on; every other flag is the program's own. */
#ifndef KERNEL_FLAGS_H
#define KERNEL_FLAGS_H

#define FLAG_CF 0x1
#define FLAG_RESERVED1 0x2          /* always 1 */
#define FLAG_PF 0x4
#define FLAG_AF 0x10
#define FLAG_ZF 0x40
#define FLAG_SF 0x80
#define FLAG_TF 0x100               /* single-step */
#define FLAG_IF 0x200               /* interrupts enabled */
#define FLAG_DF 0x400               /* string instructions go down */
#define FLAG_OF 0x800
#define FLAG_IOPL 0x3000            /* I/O privilege level */
#define FLAG_NT 0x4000              /* nested task: iret in long mode #GPs */
#define FLAG_RF 0x10000             /* resume (instruction breakpoints) */
#define FLAG_VM 0x20000             /* virtual-8086 mode */
#define FLAG_AC 0x40000             /* alignment check; SMAP override in ring 0 */
#define FLAG_VIF 0x80000
#define FLAG_VIP 0x100000
#define FLAG_ID 0x200000            /* CPUID detection */

/* IA32_FMASK: every flag but the reserved bit. */
#define FLAGS_SYSCALL_MASK (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF \
    | FLAG_TF | FLAG_IF | FLAG_DF | FLAG_OF | FLAG_IOPL | FLAG_NT | FLAG_RF \
    | FLAG_VM | FLAG_AC | FLAG_VIF | FLAG_VIP | FLAG_ID)

/* Never set in user mode: a program can set none of them itself (popf at
 * CPL 3 leaves IOPL, VIF and VIP alone; VM does not exist in long mode),
 * so only a kernel bug could put them in a frame bound for user mode. */
#define FLAGS_USER_FORBIDDEN (FLAG_IOPL | FLAG_VM | FLAG_VIF | FLAG_VIP)

#endif
