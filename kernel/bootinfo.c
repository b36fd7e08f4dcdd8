/* The boot information of the two protocols (see bootinfo.h).
 *
 * multiboot2 (multiboot2 specification): the structure starts with u32
 * total_size and u32 reserved, then 8-byte aligned tags {u32 type; u32
 * size; ...} ending with a tag of type 0.
 *
 * PVH (the x86/HVM direct boot ABI, Xen's start_info.h): struct
 * hvm_start_info, version 1 or later, holds the physical addresses of the
 * command line, the module list and the memory map, whose entries are
 * {u64 addr; u64 size; u32 type; u32 reserved} with E820 types. */
#include "kernel/bootinfo.h"
#include "kernel/string.h"
#include "kernel/layout.h"

enum { TAG_END = 0, TAG_CMDLINE = 1, TAG_MODULE = 3, TAG_MMAP = 6 };
#define MMAP_AVAILABLE 1              /* multiboot2 and E820 alike */

struct hvm_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
    uint64_t memmap_paddr;            /* version 1 on */
    uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

struct hvm_module {
    uint64_t paddr, size, cmdline_paddr, reserved;
};

struct bootinfo bootinfo;

static void add(struct mem_region *r, int *n, uint64_t base, uint64_t len)
{
    if (*n < BOOT_MAX_REGIONS && len)
        r[(*n)++] = (struct mem_region){ base, len };
}

/* Keep the NUL-terminated line at physical PA as bootinfo.cmdline, and
 * whether it had to be cut to fit.  Boot thread. */
static void keep_cmdline(uint64_t pa)
{
    const char *s = ptov(pa);
    bootinfo.cmdline_truncated =
        strlcpy(bootinfo.cmdline, s, sizeof bootinfo.cmdline) >= sizeof bootinfo.cmdline;
    add(bootinfo.reserved, &bootinfo.n_reserved, pa,
        strnlen(s, sizeof bootinfo.cmdline) + 1);
}

/* GRUB 2.06 passes its argument with a backslash before each `\`, `'`
 * and `"`, wrapped in double quotes when it holds a space.  Undo both in
 * place, so that bootinfo.cmdline is the line the payload disk's
 * environment block holds.  Boot thread. */
static void grub_unquote(char *s)
{
    size_t len = strlen(s);
    const char *in = s, *end = s + len;
    char *out = s;
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        in++;
        end--;
    }
    while (in < end) {
        if (*in == '\\' && in + 1 < end)
            in++;
        *out++ = *in++;
    }
    *out = '\0';
}

/* The memory map tag of multiboot2 at TAG, SIZE bytes long. */
static void mb2_mmap(const uint32_t *tag, uint32_t size)
{
    uint32_t esize = tag[2];
    for (uint32_t e = 16; esize && e + esize <= size; e += esize) {
        const uint8_t *ent = (const uint8_t *)tag + e;
        uint64_t base = *(const uint64_t *)ent;
        uint64_t len = *(const uint64_t *)(ent + 8);
        uint32_t etype = *(const uint32_t *)(ent + 16);
        if (etype == MMAP_AVAILABLE)
            add(bootinfo.usable, &bootinfo.n_usable, base, len);
    }
}

/* The multiboot2 information structure at physical MBI.  Boot thread. */
static int parse_multiboot2(uint64_t mbi)
{
    if (!mbi || (mbi & 7))
        return -1;
    const uint8_t *p = ptov(mbi);
    uint32_t total = *(const uint32_t *)p;
    add(bootinfo.reserved, &bootinfo.n_reserved, mbi, total);

    for (uint32_t off = 8; off + 8 <= total;) {
        const uint32_t *tag = (const uint32_t *)(p + off);
        uint32_t type = tag[0], size = tag[1];
        if (type == TAG_END || size < 8)
            break;
        if (type == TAG_CMDLINE) {
            keep_cmdline(mbi + off + 8);
            grub_unquote(bootinfo.cmdline);
        } else if (type == TAG_MODULE) {
            add(bootinfo.reserved, &bootinfo.n_reserved, tag[2], (uint64_t)tag[3] - tag[2]);
        } else if (type == TAG_MMAP) {
            mb2_mmap(tag, size);
        }
        off += (size + 7) & ~7u;
    }
    bootinfo.protocol = "multiboot2";
    return 0;
}

/* The PVH start info at physical SI: the command line as it was given
 * (QEMU's -append, unquoted), the modules, the memory map.  Boot
 * thread. */
static int parse_pvh(uint64_t si)
{
    if (!si || (si & 3))
        return -1;
    const struct hvm_start_info *s = ptov(si);
    if (s->magic != PVH_START_MAGIC || s->version < 1 || !s->memmap_paddr)
        return -1;                    /* version 0 has no memory map */
    add(bootinfo.reserved, &bootinfo.n_reserved, si, sizeof *s);
    if (s->cmdline_paddr)
        keep_cmdline(s->cmdline_paddr);

    if (s->modlist_paddr) {
        const struct hvm_module *mod = ptov(s->modlist_paddr);
        for (uint32_t i = 0; i < s->nr_modules; i++)
            add(bootinfo.reserved, &bootinfo.n_reserved, mod[i].paddr, mod[i].size);
    }

    const struct hvm_memmap_entry *map = ptov(s->memmap_paddr);
    add(bootinfo.reserved, &bootinfo.n_reserved, s->memmap_paddr,
        (uint64_t)s->memmap_entries * sizeof *map);
    for (uint32_t i = 0; i < s->memmap_entries; i++)
        if (map[i].type == MMAP_AVAILABLE)
            add(bootinfo.usable, &bootinfo.n_usable, map[i].addr, map[i].size);
    bootinfo.protocol = "pvh";
    return 0;
}

int bootinfo_parse(uint32_t magic, uint64_t info)
{
    int r = -1;
    if (magic == MB2_BOOT_MAGIC)
        r = parse_multiboot2(info);
    else if (magic == PVH_START_MAGIC)
        r = parse_pvh(info);
    return r < 0 || !bootinfo.n_usable ? -1 : 0;
}

uint64_t bootinfo_ram_bytes(void)
{
    uint64_t total = 0;
    for (int i = 0; i < bootinfo.n_usable; i++)
        total += bootinfo.usable[i].len;
    return total;
}
