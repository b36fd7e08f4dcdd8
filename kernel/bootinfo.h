/* What the boot loader told us, parsed from its information structure
 * once at boot and copied into kernel memory, so that nothing later
 * depends on the loader's memory staying intact.  Two protocols bring
 * the kernel up (docs/kernel.md, "Boot path"): multiboot2 (GRUB, from
 * the ISO) and PVH (QEMU's own `-kernel` loader); each leaves the same
 * record here, the command line byte for byte as the user wrote it. */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

/* The values of kmain's first argument, the magic in eax at the 32-bit
 * entry, which names the protocol.  multiboot2: the loader puts it there
 * (multiboot2 specification).  PVH: the magic of struct hvm_start_info
 * ("xEn3" with the top bit of the "E" set); eax is undefined at the PVH
 * entry, so boot/pvh.S puts it there itself. */
#define MB2_BOOT_MAGIC 0x36d76289
#define PVH_START_MAGIC 0x336ec578

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_CMDLINE_MAX 1024

struct mem_region {
    uint64_t base, len;
};

struct bootinfo {
    const char *protocol;                         /* "multiboot2" or "pvh" */
    char cmdline[BOOT_CMDLINE_MAX];
    bool cmdline_truncated;                       /* the loader's was longer */
    struct mem_region usable[BOOT_MAX_REGIONS];   /* available RAM */
    int n_usable;
    struct mem_region reserved[BOOT_MAX_REGIONS]; /* modules, the info itself */
    int n_reserved;
};

extern struct bootinfo bootinfo;

/* Parse the boot information at physical INFO, as the protocol MAGIC
 * names: a multiboot2 information structure, or a PVH hvm_start_info.
 * Returns 0, or -1 when MAGIC names neither, the structure is unusable
 * or lists no available RAM.  Boot thread, before any other layer reads
 * bootinfo. */
int bootinfo_parse(uint32_t magic, uint64_t info);

/* Bytes of RAM the memory map calls available: the sum of the regions
 * kept in bootinfo.usable, including any above 4 GiB that the page
 * allocator leaves alone. */
uint64_t bootinfo_ram_bytes(void);

#endif
#endif
