/* Multiboot2 boot information parsing (see bootinfo.h).  Facts from the
 * multiboot2 specification: the structure starts with u32 total_size and
 * u32 reserved, then 8-byte aligned tags {u32 type; u32 size; ...} ending
 * with a tag of type 0. */
#include "kernel/bootinfo.h"
#include "kernel/string.h"
#include "kernel/layout.h"

#define MB2_BOOT_MAGIC 0x36d76289
enum { TAG_END = 0, TAG_CMDLINE = 1, TAG_MODULE = 3, TAG_MMAP = 6 };
#define MMAP_AVAILABLE 1

struct bootinfo bootinfo;

static void add(struct mem_region *r, int *n, uint64_t base, uint64_t len)
{
    if (*n < BOOT_MAX_REGIONS && len)
        r[(*n)++] = (struct mem_region){ base, len };
}

int bootinfo_parse(uint32_t magic, uint64_t mbi)
{
    if (magic != MB2_BOOT_MAGIC || !mbi || (mbi & 7))
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
            strlcpy(bootinfo.cmdline, (const char *)(tag + 2), sizeof bootinfo.cmdline);
        } else if (type == TAG_MODULE) {
            add(bootinfo.reserved, &bootinfo.n_reserved, tag[2], (uint64_t)tag[3] - tag[2]);
        } else if (type == TAG_MMAP) {
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
        off += (size + 7) & ~7u;
    }
    return bootinfo.n_usable ? 0 : -1;
}

uint64_t bootinfo_ram_bytes(void)
{
    uint64_t total = 0;
    for (int i = 0; i < bootinfo.n_usable; i++)
        total += bootinfo.usable[i].len;
    return total;
}
