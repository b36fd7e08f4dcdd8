/* The PVH entry: QEMU's `-kernel` loader (and any loader of the x86/HVM
 * direct boot ABI) loads the kernel's ELF segments at their physical
 * addresses and enters the address this note gives, in 32-bit protected
 * mode with paging off, ebx = physical address of the hvm_start_info
 * structure; eax is undefined.  So this entry puts the structure's magic
 * in eax, which tells kernel/bootinfo.c the protocol, and continues at
 * the multiboot2 entry, whose code needs nothing else from the loader
 * (it loads its own GDT and segments and uses no stack before that).
 *
 * Facts from the PVH boot ABI (Xen's docs/misc/pvh.pandoc and
 * start_info.h): a note named "Xen" of type XEN_ELFNOTE_PHYS32_ENTRY (18)
 * whose descriptor is the physical entry address; QEMU reads it as a
 * pointer-sized value, 8 bytes in a 64-bit ELF, and places the
 * descriptor by the note segment's alignment, which must therefore be 4.
 * docs/kernel.md, "Boot path", has the measurements that chose PVH. */

#include "kernel/bootinfo.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

    .section .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f                   /* name size */
    .long 4f - 3f                   /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
3:  .quad _start_pvh
4:  .balign 4

    .section .boot.text, "ax"
    .code32
    .globl _start_pvh
_start_pvh:
    mov $PVH_START_MAGIC, %eax
    jmp _start32
