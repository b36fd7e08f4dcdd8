/* The GDT (built by boot/multiboot2.S) and the TSS, which gives the CPU
 * the kernel stack to switch to when an interrupt arrives in user mode.
 * The selectors are also for assembly (proc/syscall_entry.S includes this
 * file). */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b      /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23      /* 0x20 | RPL 3 */
#define SEL_TSS 0x28

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Install the TSS descriptor, reload the GDT at its higher-half address,
 * load the task register and a null LDT.  Once, at boot. */
void gdt_init(void);
/* Set the stack the CPU loads on a user-to-kernel transition. */
void tss_set_rsp0(uint64_t rsp0);
#endif /* __ASSEMBLER__ */

#endif
