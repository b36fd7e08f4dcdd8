/* The do-nothing kernel: the floor of each boot path in `make bench`
 * (docs/bench.md, "Boot time").  It is booted exactly as Folio's kernel
 * is, and does nothing but power off: one write of 0x10 to the
 * isa-debug-exit port, so QEMU exits with 33 as after a clean power-off.
 * Whatever a boot of it costs is the firmware, the loader and QEMU.
 *
 * Like the kernel it carries a multiboot2 header (GRUB on its ISO) and a
 * PVH entry note (QEMU's -kernel), and the same entry serves both: it
 * reads nothing the loader left. */

#define MB2_MAGIC 0xe85250d6
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define EXIT_PORT 0xf4
#define EXIT_POWER_OFF 0x10

    .section .multiboot, "a"
    .balign 8
header:
    .long MB2_MAGIC, 0, header_end - header
    .long -(MB2_MAGIC + (header_end - header))
    .balign 8                       /* entry address tag */
    .short 3, 0
    .long 12, floor_start
    .balign 8                       /* end tag */
    .short 0, 0
    .long 8
header_end:

    .section .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f, 4f - 3f, XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
3:  .quad floor_start
4:  .balign 4

    .text
    .code32
    .globl floor_start
floor_start:
    mov $EXIT_POWER_OFF, %al
    out %al, $EXIT_PORT
1:  hlt
    jmp 1b
