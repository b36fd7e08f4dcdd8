/* Paths, mounting and power-off (see filesys.h).
 *
 * Each name operation here takes fs.lock for its whole run, so a lookup
 * and the creation, open or removal that follows it are atomic; fs/dir.c
 * walks the paths. */
#include "fs/filesys.h"
#include "fs/file.h"
#include "fs/dir.h"
#include "fs/fsys.h"
#include "fs/inode.h"
#include "kernel/console.h"
#include "kernel/string.h"

/* Walk PATH from CWD (the root when NULL) into *W (dir_walk): false when
 * unmounted, for a NULL path, and for a relative path from a working
 * directory that has been removed.  Lock held. */
static bool walk(struct inode *cwd, const char *path, bool follow, struct dir_walk *w)
{
    uint32_t start = cwd ? inode_get_inumber(cwd) : FS_ROOT_INODE;
    if (!fs.mounted || !path)
        return false;
    if (path[0] != '/' && inode_removed_locked(start))
        return false;
    return dir_walk(start, path, follow, w);
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

/* Make PATH (from CWD) a new inode of TYPE: a file of SIZE bytes of
 * holes, an empty directory, or a link to TARGET.  False when PATH's
 * directory does not exist, its last component is ".", ".." or "/" or
 * exists, no inode is free, the disk lacks room, or on an I/O error;
 * nothing is left allocated then.  Takes the fs lock for the whole run. */
static bool make(struct inode *cwd, const char *path, uint32_t type, off_t size,
                 const char *target)
{
    struct dir_walk w;
    bool ok = false;
    lock_acquire(&fs.lock);
    if (!walk(cwd, path, false, &w) || !w.named || w.found)
        goto out;
    if (type == FS_TYPE_FILE && inode_blocks_needed((uint64_t)size) > fs.free_blocks)
        goto out;
    int64_t i = inode_alloc_locked(type, w.dir);
    if (i < 0)
        goto out;
    fs.inodes[i].size = (uint32_t)size;
    if ((target && !dir_write_target((uint32_t)i, target))
        || !dir_add(w.dir, w.name, (uint32_t)i)) {
        inode_remove_locked((uint32_t)i);
        goto out;
    }
    ok = true;
out:
    lock_release(&fs.lock);
    return ok;
}

/* Create file PATH of INITIAL_SIZE bytes of holes (see filesys.h). */
bool filesys_create_at(struct inode *cwd, const char *path, off_t initial_size)
{
    return initial_size >= 0 && make(cwd, path, FS_TYPE_FILE, initial_size, NULL);
}

/* Create the empty directory PATH (see filesys.h). */
bool filesys_mkdir_at(struct inode *cwd, const char *path)
{
    return make(cwd, path, FS_TYPE_DIR, 0, NULL);
}

/* Create PATH as a link to TARGET (see filesys.h). */
bool filesys_symlink_at(struct inode *cwd, const char *target, const char *path)
{
    return target && make(cwd, path, FS_TYPE_SYMLINK, 0, target);
}

/* Open the inode PATH names, following links; NULL when there is none,
 * it is not a directory while DIR_ONLY, or out of memory.  Takes the fs
 * lock. */
static struct inode *open_path(struct inode *cwd, const char *path, bool dir_only)
{
    struct dir_walk w;
    struct inode *ino = NULL;
    lock_acquire(&fs.lock);
    if (walk(cwd, path, true, &w) && w.found
        && (!dir_only || inode_is_dir_locked(w.inum)))
        ino = inode_open_locked(w.inum);
    lock_release(&fs.lock);
    return ino;
}

/* Open PATH, a file or a directory, at position 0 (see filesys.h). */
struct file *filesys_open_at(struct inode *cwd, const char *path)
{
    return file_open(open_path(cwd, path, false));
}

/* The directory PATH names, opened (see filesys.h). */
struct inode *filesys_opendir_at(struct inode *cwd, const char *path)
{
    return open_path(cwd, path, true);
}

/* Remove PATH (not following a link in its last component): a file or
 * link, or an empty directory other than the root.  Its storage goes at
 * its last close.  Takes the fs lock. */
bool filesys_remove_at(struct inode *cwd, const char *path)
{
    struct dir_walk w;
    bool ok = false;
    lock_acquire(&fs.lock);
    if (!walk(cwd, path, false, &w) || !w.named || !w.found)
        goto out;
    if (inode_is_dir_locked(w.inum) && !dir_is_empty(w.inum))
        goto out;
    if (!dir_unlink(w.dir, w.name))
        goto out;
    inode_remove_locked(w.inum);
    ok = true;
out:
    lock_release(&fs.lock);
    return ok;
}

/* The next entry name of directory file F into NAME (see filesys.h). */
bool filesys_readdir(struct file *f, char name[FS_NAME_MAX + 1])
{
    uint32_t inum = inode_get_inumber(file_get_inode(f));
    off_t pos = file_tell(f);
    bool ok = false;
    lock_acquire(&fs.lock);
    if (fs.mounted && inode_is_dir_locked(inum) && !inode_removed_locked(inum)) {
        uint32_t p = (uint32_t)pos;
        ok = dir_next(inum, &p, name);
        file_seek(f, (off_t)p);
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
