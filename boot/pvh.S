/* The PVH entry: QEMU's `-kernel` loader (and any loader of the x86/HVM
 * direct boot ABI) loads the kernel's ELF segments at their physical
 * addresses and enters the address this note gives, in 32-bit protected
 * mode with paging off, ebx = physical address of the hvm_start_info
 * structure; eax is undefined.  So this entry puts the structure's magic
 * in eax, which tells kernel/bootinfo.c the protocol, and continues at
 * the multiboot2 entry, whose code needs nothing else from the loader
 * (it loads its own GDT and segments and uses no stack before that).
 *
 * The note itself: boot/headers.h.  docs/kernel.md, "Boot path", has
 * the measurements that chose PVH. */

#include "boot/headers.h"
#include "kernel/bootinfo.h"

    pvh_entry_note _start_pvh

    .section .boot.text, "ax"
    .code32
    .globl _start_pvh
_start_pvh:
    mov $PVH_START_MAGIC, %eax
    jmp _start32
