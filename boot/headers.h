/* The two things a loader looks for in a kernel image, as assembler
 * macros: Folio's kernel uses them (boot/multiboot2.S, boot/pvh.S), and
 * so does the do-nothing kernel that make bench measures boot paths
 * against (bench/floor.S), so that the two are loaded the same way.
 * Facts from the multiboot2 specification and the PVH boot ABI (Xen's
 * start_info.h and elfnote.h). */
#ifndef BOOT_HEADERS_H
#define BOOT_HEADERS_H

#define MB2_MAGIC 0xe85250d6
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* A multiboot2 header (section .multiboot, which the link map puts in
 * the image's first 32 KiB) asking for the command line, the module list
 * and the memory map, with an entry-address tag naming ENTRY, so nothing
 * depends on how a loader reads ELF entry points. */
.macro multiboot2_header entry
    .pushsection .multiboot, "a"
    .balign 8
1:  .long MB2_MAGIC
    .long 0                         /* architecture: i386 protected mode */
    .long 2f - 1b
    .long -(MB2_MAGIC + (2f - 1b))
    .balign 8                       /* information request: cmdline, modules, mmap */
    .short 1, 0
    .long 20
    .long 1, 3, 6
    .balign 8                       /* entry address */
    .short 3, 0
    .long 12
    .long \entry
    .balign 8                       /* end tag */
    .short 0, 0
    .long 8
2:
    .popsection
.endm

/* The PVH entry note: named "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, its
 * descriptor the physical address ENTRY.  QEMU reads the descriptor as a
 * pointer-sized value, 8 bytes in a 64-bit ELF, and places it by the note
 * segment's alignment, which must therefore be 4 (the link maps keep
 * .note.Xen in a segment of its own, aligned to 4). */
.macro pvh_entry_note entry
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f                   /* name size */
    .long 4f - 3f                   /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
3:  .quad \entry
4:  .balign 4
    .popsection
.endm

#endif
