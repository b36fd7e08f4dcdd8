/* Names, mounting and power-off (see filesys.h).
 *
 * The directory is the inode table itself: an in-use inode is a name.
 * Each function here takes fs.lock for its whole run, so a lookup and the
 * open or removal that follows it are atomic. */
#include "fs/filesys.h"
#include "fs/file.h"
#include "fs/fsys.h"
#include "kernel/console.h"
#include "kernel/string.h"

/* Length of NAME if it is a valid file name (1..14 bytes), else 0.  Reads
 * at most 15 bytes of NAME.  Any context. */
static size_t name_len(const char *name)
{
    if (!name)
        return 0;
    size_t len = strnlen(name, FS_NAME_MAX + 1);
    return len <= FS_NAME_MAX ? len : 0;
}

/* The inumber of the file called NAME (LEN bytes), skipping removed files
 * that are still open; -1 if none.  Lock held, mounted. */
static int64_t lookup(const char *name, size_t len)
{
    for (uint32_t i = 0; i < fs.sb.inode_count; i++) {
        const struct foliofs_inode *di = &fs.inodes[i];
        if ((di->flags & FS_INODE_IN_USE) && memcmp(di->name, name, len + 1) == 0
            && !inode_removed_locked(i))
            return i;
    }
    return -1;
}

/* Mount the payload disk, logging the outcome (see filesys.h).  Boot
 * thread, once; takes the fs lock. */
void filesys_init(void)
{
    lock_init_timed(&fs.lock, "fs_lock_max_hold");
    inode_init();
    struct block *dev = block_get_role(BLOCK_PAYLOAD);
    if (!dev) {
        printk("fs: no payload disk (IDE primary master); file system not mounted\n");
        return;
    }
    lock_acquire(&fs.lock);
    super_mount(dev);
    lock_release(&fs.lock);
}

/* Write everything back and flush the disk.  Takes the fs lock. */
bool filesys_sync(void)
{
    lock_acquire(&fs.lock);
    bool ok = !fs.mounted || super_sync();
    lock_release(&fs.lock);
    return ok;
}

/* Power-off: free removed-but-open files, write everything back, flush,
 * log the counters.  Releases no memory.  Takes the fs lock. */
void filesys_done(void)
{
    lock_acquire(&fs.lock);
    if (fs.mounted) {
        struct cache_stats cs;
        inode_release_orphans_locked();
        bool ok = super_sync();
        cache_get_stats(&cs);
        if (!ok)
            printk("fs: %s: %u cached blocks could not be written and are lost\n",
                   block_name(fs.dev), cache_dirty_count());
        printk("fs: %s: written back%s; %u blocks free; cache %u hits, %u misses, "
               "%u reads (%u blocks read ahead), %u blocks written back in %u "
               "requests\n", block_name(fs.dev), ok ? "" : " WITH ERRORS", fs.free_blocks,
               cs.hits, cs.misses, cs.read_requests, cs.prefetched, cs.writebacks,
               cs.write_requests);
    }
    lock_release(&fs.lock);
}

/* Whether a file system is mounted.  Takes the fs lock. */
bool filesys_mounted(void)
{
    lock_acquire(&fs.lock);
    bool m = fs.mounted;
    lock_release(&fs.lock);
    return m;
}

/* Create NAME with INITIAL_SIZE bytes of holes in the first free inode
 * (see filesys.h for when it fails).  Takes the fs lock. */
bool filesys_create(const char *name, off_t initial_size)
{
    size_t len = name_len(name);
    bool ok = false;
    if (len == 0 || initial_size < 0)
        return false;
    lock_acquire(&fs.lock);
    if (!fs.mounted || lookup(name, len) >= 0
        || inode_blocks_needed((uint64_t)initial_size) > fs.free_blocks)
        goto out;
    for (uint32_t i = 0; i < fs.sb.inode_count; i++) {
        struct foliofs_inode *di = &fs.inodes[i];
        if (di->flags & FS_INODE_IN_USE)
            continue;
        memset(di, 0, sizeof *di);
        di->flags = FS_INODE_IN_USE;
        di->size = (uint32_t)initial_size;
        memcpy(di->name, name, len);
        super_inode_dirty(i);
        ok = true;
        break;
    }
out:
    lock_release(&fs.lock);
    return ok;
}

/* Open NAME; NULL if absent, unmounted or out of memory.  Takes the fs
 * lock for the lookup and the inode open together. */
struct file *filesys_open(const char *name)
{
    size_t len = name_len(name);
    struct inode *ino = NULL;
    if (len == 0)
        return NULL;
    lock_acquire(&fs.lock);
    if (fs.mounted) {
        int64_t i = lookup(name, len);
        if (i >= 0)
            ino = inode_open_locked((uint32_t)i);
    }
    lock_release(&fs.lock);
    return file_open(ino);
}

/* Remove NAME now; its storage goes at its last close.  Takes the fs
 * lock. */
bool filesys_remove(const char *name)
{
    size_t len = name_len(name);
    bool ok = false;
    if (len == 0)
        return false;
    lock_acquire(&fs.lock);
    if (fs.mounted) {
        int64_t i = lookup(name, len);
        if (i >= 0) {
            inode_remove_locked((uint32_t)i);
            ok = true;
        }
    }
    lock_release(&fs.lock);
    return ok;
}

/* Free data blocks (0 when unmounted).  Takes the fs lock. */
uint32_t filesys_free_blocks(void)
{
    lock_acquire(&fs.lock);
    uint32_t n = fs.mounted ? fs.free_blocks : 0;
    lock_release(&fs.lock);
    return n;
}

/* Size of the file system in blocks (0 when unmounted).  Takes the fs
 * lock. */
uint32_t filesys_total_blocks(void)
{
    lock_acquire(&fs.lock);
    uint32_t n = fs.mounted ? fs.sb.total_blocks : 0;
    lock_release(&fs.lock);
    return n;
}

/* Call FN for every file (see filesys.h).  Holds the fs lock throughout. */
int filesys_list(filesys_list_fn *fn, void *aux)
{
    int count = 0;
    lock_acquire(&fs.lock);
    for (uint32_t i = 0; fs.mounted && i < fs.sb.inode_count; i++) {
        const struct foliofs_inode *di = &fs.inodes[i];
        if ((di->flags & FS_INODE_IN_USE) && !inode_removed_locked(i)) {
            fn(di->name, (off_t)di->size, aux);
            count++;
        }
    }
    lock_release(&fs.lock);
    return count;
}
