/* What the boot loader told us, parsed from the multiboot2 information
 * structure once at boot and copied into kernel memory, so that nothing
 * later depends on the loader's memory staying intact. */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_CMDLINE_MAX 1024

struct mem_region {
    uint64_t base, len;
};

struct bootinfo {
    char cmdline[BOOT_CMDLINE_MAX];
    struct mem_region usable[BOOT_MAX_REGIONS];   /* available RAM */
    int n_usable;
    struct mem_region reserved[BOOT_MAX_REGIONS]; /* modules, the info itself */
    int n_reserved;
};

extern struct bootinfo bootinfo;

/* Parse the structure at physical MBI; returns 0, or -1 when MAGIC is not
 * the multiboot2 magic or the structure is unusable. */
int bootinfo_parse(uint32_t magic, uint64_t mbi);

/* Bytes of RAM the memory map calls available: the sum of the regions
 * kept in bootinfo.usable, including any above 4 GiB that the page
 * allocator leaves alone. */
uint64_t bootinfo_ram_bytes(void);

#endif
