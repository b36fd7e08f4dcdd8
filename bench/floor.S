/* The do-nothing kernel: the floor of each boot path in `make bench`
 * (docs/bench.md, "Boot time").  It is booted exactly as Folio's kernel
 * is, and does nothing but power off: one write of 0x10 to the
 * isa-debug-exit port, so QEMU exits with 33 as after a clean power-off.
 * Whatever a boot of it costs is the firmware, the loader and QEMU.
 *
 * Like the kernel it carries the kernel's multiboot2 header (GRUB on its
 * ISO) and PVH entry note (QEMU's -kernel), boot/headers.h, and the same
 * entry serves both: it reads nothing the loader left. */

#include "boot/headers.h"

#define EXIT_PORT 0xf4
#define EXIT_POWER_OFF 0x10

    multiboot2_header floor_start
    pvh_entry_note floor_start

    .text
    .code32
    .globl floor_start
floor_start:
    mov $EXIT_POWER_OFF, %al
    out %al, $EXIT_PORT
1:  hlt
    jmp 1b
