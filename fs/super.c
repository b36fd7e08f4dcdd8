/* Mounting foliofs, writing its metadata back, and block allocation.
 *
 * At mount the superblock is validated, then the bitmap and the whole
 * inode table are read into memory and checked: every in-use inode must
 * have a known type and a size this kernel handles, and every
 * block its tree maps (direct, indirect, double-indirect, and the index
 * blocks themselves) must lie in the data area, be marked used in the
 * bitmap and belong to nobody else; then every directory entry must name
 * an in-use inode, once (dir_check_tree).  Anything wrong is logged and the
 * file system stays unmounted; nothing a disk image contains can make the
 * kernel panic.  After a successful mount every block number the fs reads
 * from the disk has been checked once, and every one it writes comes from
 * super_balloc.
 *
 * The in-memory bitmap and inode table are the master copies.  Changing
 * them marks their block dirty; super_sync writes dirty blocks back (it
 * runs from filesys_done at power-off).
 *
 * Every function expects fs.lock held. */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "fs/dir.h"
#include "fs/fsys.h"

#define SECTORS_PER_BLOCK (FS_BLOCK_SIZE / BLOCK_SECTOR_SIZE)

struct fs_state fs;

/* State of one mount attempt, for the checks and their messages. */
struct mount_check {
    const char *dev;           /* device name, for messages */
    uint8_t *seen;             /* blocks claimed so far by some inode */
    uint32_t *ibuf[2];         /* index-block buffers for the tree walk */
    uint32_t claimed;          /* blocks the current inode maps, index blocks */
    uint32_t index_claimed;    /* ... and of those its index blocks */
};

/* Bit B of bitmap MAP.  Caller guards MAP. */
static bool bit_get(const uint8_t *map, uint32_t b)
{
    return (map[b / 8] >> (b % 8)) & 1;
}

/* Set bit B of bitmap MAP to V.  Caller guards MAP. */
static void bit_set(uint8_t *map, uint32_t b, bool v)
{
    if (v)
        map[b / 8] |= (uint8_t)(1u << (b % 8));
    else
        map[b / 8] &= (uint8_t)~(1u << (b % 8));
}

/* Log why the mount failed.  Always returns false.  Mounting (lock
 * held). */
static bool __attribute__((format(printf, 2, 3)))
mount_fail(const struct mount_check *mc, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printk("fs: %s: %s; file system not mounted\n", mc->dev, msg);
    return false;
}

/* Read file-system block BLOCK (< total_blocks, or below the disk's end
 * during mount) into BUF as 8 sectors.  False on an I/O error.  Lock
 * held. */
bool super_read_block(uint32_t block, void *buf)
{
    ASSERT_DEBUG(fs_lock_held());
    return block_read(fs.dev, (block_sector_t)block * SECTORS_PER_BLOCK, buf,
                      SECTORS_PER_BLOCK);
}

/* Write BUF to file-system block BLOCK.  False on an I/O error.  Lock
 * held. */
bool super_write_block(uint32_t block, const void *buf)
{
    ASSERT_DEBUG(fs_lock_held());
    return block_write(fs.dev, (block_sector_t)block * SECTORS_PER_BLOCK, buf,
                       SECTORS_PER_BLOCK);
}

/* Is BLOCK a block a file may map: inside the data area?  Lock held (or
 * mounting). */
bool super_block_ok(uint32_t block)
{
    ASSERT_DEBUG(fs_lock_held());
    return block >= fs.sb.data_start && block < fs.sb.total_blocks;
}

/* Check the superblock SB against a disk of DISK_BLOCKS blocks.  All sums
 * are done in 64 bits so that no field value can wrap around.  Mounting
 * (lock held). */
static bool check_super(const struct mount_check *mc, const struct foliofs_super *sb,
                        uint64_t disk_blocks)
{
    uint64_t total = sb->total_blocks;
    uint64_t bm_end = (uint64_t)sb->bitmap_start + sb->bitmap_blocks;
    uint64_t in_end = (uint64_t)sb->inode_start + sb->inode_blocks;

    if (memcmp(sb->magic, FS_MAGIC_V1, 8) == 0)
        return mount_fail(mc, "foliofs version 1 (one flat directory); this kernel "
                          "mounts version 2 (" FS_MAGIC "): rebuild the image with "
                          "images/build");
    if (memcmp(sb->magic, FS_MAGIC, 8) != 0)
        return mount_fail(mc, "no foliofs superblock (bad magic)");
    if (sb->block_size != FS_BLOCK_SIZE)
        return mount_fail(mc, "block size %u, expected %u", sb->block_size, FS_BLOCK_SIZE);
    if (total > disk_blocks)
        return mount_fail(mc, "total_blocks %u exceeds the disk's %lu blocks",
                          sb->total_blocks, (unsigned long)disk_blocks);
    if (sb->bitmap_start < 2 || sb->bitmap_blocks == 0)
        return mount_fail(mc, "bad bitmap region (start %u, %u blocks)",
                          sb->bitmap_start, sb->bitmap_blocks);
    if ((uint64_t)sb->bitmap_blocks * FS_BITS_PER_BLOCK < total)
        return mount_fail(mc, "%u bitmap blocks cannot cover %u blocks",
                          sb->bitmap_blocks, sb->total_blocks);
    if (sb->inode_start < 2 || sb->inode_blocks == 0 || sb->inode_count == 0)
        return mount_fail(mc, "bad inode table (start %u, %u blocks, %u inodes)",
                          sb->inode_start, sb->inode_blocks, sb->inode_count);
    if (((uint64_t)sb->inode_count + FS_INODES_PER_BLOCK - 1) / FS_INODES_PER_BLOCK
        != sb->inode_blocks)
        return mount_fail(mc, "inode_count %u does not match %u inode blocks",
                          sb->inode_count, sb->inode_blocks);
    if (bm_end > sb->inode_start && in_end > sb->bitmap_start)
        return mount_fail(mc, "bitmap (%u+%u) and inode table (%u+%u) overlap",
                          sb->bitmap_start, sb->bitmap_blocks, sb->inode_start,
                          sb->inode_blocks);
    if (bm_end > sb->data_start || in_end > sb->data_start)
        return mount_fail(mc, "data_start %u overlaps the metadata", sb->data_start);
    if (sb->data_start > total)
        return mount_fail(mc, "data_start %u is beyond total_blocks %u",
                          sb->data_start, sb->total_blocks);
    return true;
}

/* Read COUNT consecutive blocks from FIRST into BUF.  Mounting. */
static bool read_region(const struct mount_check *mc, uint32_t first, uint32_t count,
                        uint8_t *buf, const char *what)
{
    for (uint32_t i = 0; i < count; i++)
        if (!super_read_block(first + i, buf + (size_t)i * FS_BLOCK_SIZE))
            return mount_fail(mc, "cannot read the %s (block %u)", what, first + i);
    return true;
}

/* Claim block B for inode INUM: it must be in the data area, used in the
 * bitmap and not claimed before.  Mounting. */
static bool claim(struct mount_check *mc, uint32_t inum, uint32_t b)
{
    if (!super_block_ok(b))
        return mount_fail(mc, "inode %u maps block %u outside the data area", inum, b);
    if (!bit_get(fs.bitmap, b))
        return mount_fail(mc, "inode %u maps block %u, free in the bitmap", inum, b);
    if (bit_get(mc->seen, b))
        return mount_fail(mc, "block %u is mapped twice (inode %u)", b, inum);
    bit_set(mc->seen, b, true);
    mc->claimed++;
    return true;
}

/* Claim index block B of depth DEPTH (1 indirect, 2 double-indirect) and
 * everything below it.  Mounting. */
static bool walk_index(struct mount_check *mc, uint32_t inum, uint32_t b, int depth)
{
    uint32_t *e = mc->ibuf[depth - 1];
    if (!claim(mc, inum, b))
        return false;
    mc->index_claimed++;
    if (!super_read_block(b, e))
        return mount_fail(mc, "cannot read index block %u of inode %u", b, inum);
    for (unsigned i = 0; i < FS_PTRS_PER_BLOCK; i++) {
        if (e[i] == 0)
            continue;
        if (depth == 2 ? !walk_index(mc, inum, e[i], 1) : !claim(mc, inum, e[i]))
            return false;
    }
    return true;
}

/* Check every in-use inode: its type, its size, a directory's whole
 * blocks (each of them mapped), and its block tree.  The directory tree itself is checked once
 * the cache is up (dir_check_tree).  Mounting. */
static bool check_inodes(struct mount_check *mc)
{
    uint32_t n = fs.sb.inode_count, used = 0;
    const struct foliofs_inode *root = &fs.inodes[FS_ROOT_INODE];
    if (!(root->flags & FS_INODE_IN_USE) || root->type != FS_TYPE_DIR)
        return mount_fail(mc, "inode 0 is not the root directory");
    for (uint32_t i = 0; i < n; i++) {
        struct foliofs_inode *di = &fs.inodes[i];
        if (!(di->flags & FS_INODE_IN_USE))
            continue;
        used++;
        if (di->type < FS_TYPE_FILE || di->type > FS_TYPE_SYMLINK)
            return mount_fail(mc, "inode %u has unknown type %u", i, di->type);
        if (di->size > FS_MAX_FILE_SIZE)
            return mount_fail(mc, "inode %u is %u bytes, more than %d", i, di->size,
                              FS_MAX_FILE_SIZE);
        if (di->type == FS_TYPE_DIR && di->size % FS_BLOCK_SIZE != 0)
            return mount_fail(mc, "directory inode %u is %u bytes, not whole blocks", i,
                              di->size);
        if (di->type == FS_TYPE_SYMLINK && di->size >= FS_PATH_MAX)
            return mount_fail(mc, "link inode %u has a %u-byte target", i, di->size);
        mc->claimed = mc->index_claimed = 0;
        for (unsigned k = 0; k < FS_NDIRECT; k++)
            if (di->direct[k] && !claim(mc, i, di->direct[k]))
                return false;
        if (di->indirect && !walk_index(mc, i, di->indirect, 1))
            return false;
        if (di->dindirect && !walk_index(mc, i, di->dindirect, 2))
            return false;
        /* The kernel grows a directory a mapped block at a time, so its
         * size bounds the entries a lookup scans by the disk's size. */
        if (di->type == FS_TYPE_DIR
            && di->size / FS_BLOCK_SIZE > mc->claimed - mc->index_claimed)
            return mount_fail(mc, "directory inode %u is %u bytes but maps %u blocks", i,
                              di->size, mc->claimed - mc->index_claimed);
    }
    printk("fs: %s: %u of %u inodes in use\n", mc->dev, used, n);
    return true;
}

/* Check the bitmap (metadata blocks used) and count the free blocks.
 * Mounting. */
static bool check_bitmap(struct mount_check *mc)
{
    for (uint32_t b = 0; b < fs.sb.data_start; b++)
        if (!bit_get(fs.bitmap, b))
            return mount_fail(mc, "bitmap marks metadata block %u free", b);
    fs.free_blocks = 0;
    for (uint32_t b = fs.sb.data_start; b < fs.sb.total_blocks; b++)
        if (!bit_get(fs.bitmap, b))
            fs.free_blocks++;
    fs.alloc_hint = fs.sb.data_start;
    return true;
}

/* Drop whatever a failed mount allocated.  Lock held. */
static void unload(void)
{
    kfree(fs.bitmap);
    kfree(fs.bitmap_dirty);
    kfree(fs.inodes);
    kfree(fs.inode_dirty);
    fs.bitmap = fs.bitmap_dirty = fs.inode_dirty = NULL;
    fs.inodes = NULL;
    fs.mounted = false;
}

/* Mount the foliofs on DEV (see the file comment).  Returns true and sets
 * fs.mounted on success; on failure logs why and leaves nothing
 * allocated.  Lock held. */
bool super_mount(struct block *dev)
{
    ASSERT_DEBUG(fs_lock_held());
    struct mount_check mc = { .dev = block_name(dev) };
    uint64_t disk_blocks = block_sectors(dev) / SECTORS_PER_BLOCK;
    uint8_t *buf = NULL;
    bool ok = false;

    fs.dev = dev;
    if (disk_blocks < 2)
        return mount_fail(&mc, "disk too small for a superblock");
    buf = kmalloc(FS_BLOCK_SIZE);
    mc.ibuf[0] = kmalloc(FS_BLOCK_SIZE);
    mc.ibuf[1] = kmalloc(FS_BLOCK_SIZE);
    if (!buf || !mc.ibuf[0] || !mc.ibuf[1]) {
        mount_fail(&mc, "out of memory");
        goto out;
    }
    if (!super_read_block(FS_SUPER_BLOCK, buf)) {
        mount_fail(&mc, "cannot read the superblock");
        goto out;
    }
    memcpy(&fs.sb, buf, sizeof fs.sb);
    if (!check_super(&mc, &fs.sb, disk_blocks))
        goto out;

    size_t bm_bytes = (size_t)fs.sb.bitmap_blocks * FS_BLOCK_SIZE;
    size_t in_bytes = (size_t)fs.sb.inode_blocks * FS_BLOCK_SIZE;
    fs.bitmap = kmalloc(bm_bytes);
    fs.bitmap_dirty = kzalloc(fs.sb.bitmap_blocks);
    fs.inodes = kmalloc(in_bytes);
    fs.inode_dirty = kzalloc(fs.sb.inode_blocks);
    mc.seen = kzalloc(bm_bytes);
    if (!fs.bitmap || !fs.bitmap_dirty || !fs.inodes || !fs.inode_dirty || !mc.seen) {
        mount_fail(&mc, "out of memory for %u bitmap and %u inode blocks",
                   fs.sb.bitmap_blocks, fs.sb.inode_blocks);
        goto out;
    }
    if (!read_region(&mc, fs.sb.bitmap_start, fs.sb.bitmap_blocks, fs.bitmap, "bitmap")
        || !read_region(&mc, fs.sb.inode_start, fs.sb.inode_blocks,
                        (uint8_t *)fs.inodes, "inode table")
        || !check_bitmap(&mc) || !check_inodes(&mc))
        goto out;
    if (!cache_init(dev)) {
        mount_fail(&mc, "out of memory for the block cache");
        goto out;
    }
    if (!dir_check_tree(mc.dev)) {
        cache_free();
        goto out;
    }
    fs.mounted = true;
    printk("fs: %s: foliofs mounted: %u blocks, %u free, data from block %u\n",
           mc.dev, fs.sb.total_blocks, fs.free_blocks, fs.sb.data_start);
    ok = true;
out:
    kfree(mc.seen);
    kfree(mc.ibuf[0]);
    kfree(mc.ibuf[1]);
    kfree(buf);
    if (!ok)
        unload();
    return ok;
}

/* Write the cache, the dirty bitmap blocks and the dirty inode-table
 * blocks to the disk, then flush the disk's own cache.  Returns false if
 * anything failed (logged); dirty flags of failed blocks stay set.  Lock
 * held. */
bool super_sync(void)
{
    ASSERT_DEBUG(fs_lock_held());
    bool ok = cache_flush();
    unsigned written = 0;
    for (uint32_t i = 0; i < fs.sb.bitmap_blocks; i++)
        if (fs.bitmap_dirty[i]) {
            if (super_write_block(fs.sb.bitmap_start + i, fs.bitmap + (size_t)i * FS_BLOCK_SIZE)) {
                fs.bitmap_dirty[i] = 0;
                written++;
            } else {
                ok = false;
            }
        }
    for (uint32_t i = 0; i < fs.sb.inode_blocks; i++)
        if (fs.inode_dirty[i]) {
            const uint8_t *p = (const uint8_t *)fs.inodes + (size_t)i * FS_BLOCK_SIZE;
            if (super_write_block(fs.sb.inode_start + i, p)) {
                fs.inode_dirty[i] = 0;
                written++;
            } else {
                ok = false;
            }
        }
    if (!block_flush(fs.dev))
        ok = false;
    if (!ok)
        printk("fs: %s: errors while writing the file system back\n", block_name(fs.dev));
    DEBUG(DBG_FS, "fs: sync wrote %u metadata blocks\n", written);
    (void)written;
    return ok;
}

/* Mark the inode-table block holding INUMBER dirty.  Lock held. */
void super_inode_dirty(uint32_t inumber)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(inumber < fs.sb.inode_count);
    fs.inode_dirty[inumber / FS_INODES_PER_BLOCK] = 1;
}

/* Record block B's bitmap bit as V.  Lock held. */
static void mark(uint32_t b, bool v)
{
    bit_set(fs.bitmap, b, v);
    fs.bitmap_dirty[b / FS_BITS_PER_BLOCK] = 1;
}

/* Allocate a free data block, first fit from the rotating hint.  Returns
 * its number, or 0 when the disk is full.  The block's contents are not
 * touched.  Lock held. */
uint32_t super_balloc(void)
{
    ASSERT_DEBUG(fs_lock_held());
    uint32_t first = fs.sb.data_start, end = fs.sb.total_blocks;
    if (fs.free_blocks == 0)
        return 0;
    uint32_t b = fs.alloc_hint;
    uint64_t limit = 2 * (uint64_t)(end - first) + 16;
    for (uint64_t steps = 0; steps < limit;) {
        if (b < first || b >= end)
            b = first;
        if ((b % 8) == 0 && b + 8 <= end && fs.bitmap[b / 8] == 0xFF) {
            b += 8;                    /* a whole byte in use */
            steps += 8;
            continue;
        }
        if (!bit_get(fs.bitmap, b)) {
            mark(b, true);
            fs.free_blocks--;
            fs.alloc_hint = b + 1;
            return b;
        }
        b++;
        steps++;
    }
    printk("fs: bitmap has no free block although %u are counted free\n",
           fs.free_blocks);
    fs.free_blocks = 0;
    return 0;
}

/* Free data block B and forget any cached copy.  A block that is not in
 * use is a bug somewhere: it is logged and left alone.  Lock held. */
void super_bfree(uint32_t b)
{
    ASSERT_DEBUG(fs_lock_held());
    if (!super_block_ok(b) || !bit_get(fs.bitmap, b)) {
        printk("fs: freeing block %u which is not an allocated data block\n", b);
        return;
    }
    mark(b, false);
    fs.free_blocks++;
    cache_discard(b);
}
