/* In-memory inodes, file block maps, and file data I/O (see inode.h).
 *
 * The on-disk inodes live in the in-memory inode table (fs.inodes, loaded
 * at mount); a struct inode adds what only matters while a file is open:
 * the open count, the removed flag and the deny-write count.  There is at
 * most one struct inode per inumber (open_inodes is searched first).
 *
 * Removal.  Removing a file that is open only sets `removed`: lookups by
 * name skip it at once, while the inode-table entry stays in use so the
 * slot and the blocks cannot be reused.  The last inode_close frees the
 * blocks and clears the entry.  filesys_done (power-off) frees removed
 * files that are still open and marks their struct inode `gone`, after
 * which they read as empty and refuse writes.
 *
 * Data I/O moves at most one block per step.  Each step takes fs.lock,
 * maps the block (allocating it for writes), copies through the block
 * cache and releases the lock.  Buffers are kernel memory: system calls
 * hand the fs the kernel's alias of a pinned user page (proc/uaccess.c),
 * so nothing here can fault on a user address.  A read step that misses
 * the cache on a sequential read (the file's first block, or the block
 * after the one read last) first has the cache read ahead: the next
 * blocks of the file that follow on the disk, up to RA_BLOCKS, in one
 * request.  When that request fails, the blocks it covered are read one
 * at a time, so that a bad block costs one failed read and fails only the
 * step that needs it. */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "fs/fsys.h"
#include "fs/inode.h"

#define BS FS_BLOCK_SIZE
#define RA_BLOCKS 8                 /* read-ahead window: 32 KiB */

struct inode {
    struct list_elem elem;      /* open_inodes */
    uint32_t inumber;           /* index in fs.inodes */
    int open_cnt;
    bool removed;               /* name removed; free at the last close */
    bool gone;                  /* storage already freed by filesys_done */
    int deny_write_cnt;         /* writes refused while > 0 */
    int map_write_cnt;          /* writable mappings; never both non-zero */
    uint32_t ra_next;           /* block index after the one read last */
    uint32_t ra_after;          /* no read-ahead below this block index */
};

static struct list open_inodes;

/* Set up the open-inode list.  Called by filesys_init at boot, before
 * any other thread uses the fs: no lock. */
void inode_init(void)
{
    list_init(&open_inodes);
}

/* The on-disk inode INUMBER in the in-memory table.  Lock held. */
static struct foliofs_inode *dinode(uint32_t inumber)
{
    return &fs.inodes[inumber];
}

/* The smaller of A and B.  Any context. */
static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Data and index blocks a file of SIZE bytes needs when fully allocated.
 * Any context. */
uint32_t inode_blocks_needed(uint64_t size)
{
    uint64_t data = (size + BS - 1) / BS, idx = 0;
    if (data > FS_IND_FIRST)
        idx++;
    if (data > FS_DIND_FIRST)
        idx += 1 + (data - FS_DIND_FIRST + FS_PTRS_PER_BLOCK - 1) / FS_PTRS_PER_BLOCK;
    return (uint32_t)min64(data + idx, UINT32_MAX);
}

/* ---- block maps (lock held) ---- */

/* Allocate a zero-filled block; 0 and *ERR set when the disk is full or
 * the cache cannot take it.  Lock held. */
static uint32_t new_block(bool *err)
{
    uint32_t b = super_balloc();
    if (b && !cache_zero(b)) {
        super_bfree(b);
        b = 0;
    }
    if (!b)
        *err = true;
    return b;
}

/* The block number in inode field *FIELD of inode INUM; with ALLOC, a
 * hole is filled with a new zeroed block.  0 means a hole (or failure,
 * with *ERR set).  Lock held. */
static uint32_t field_get(uint32_t inum, uint32_t *field, bool alloc, bool *err)
{
    if (*field || !alloc)
        return *field;
    uint32_t b = new_block(err);
    if (b) {
        *field = b;
        super_inode_dirty(inum);
    }
    return b;
}

/* Entry I of index block IDX, allocating a hole with ALLOC.  0 means a
 * hole (or failure, with *ERR set).  Lock held. */
static uint32_t entry_get(uint32_t idx, unsigned i, bool alloc, bool *err)
{
    uint32_t b;
    if (!cache_read(idx, i * 4, &b, 4)) {
        *err = true;
        return 0;
    }
    if (b && !super_block_ok(b)) {
        printk("fs: index block %u entry %u holds bad block %u\n", idx, i, b);
        *err = true;
        return 0;
    }
    if (b || !alloc)
        return b;
    b = new_block(err);
    if (b && !cache_write(idx, i * 4, &b, 4)) {
        super_bfree(b);
        *err = true;
        b = 0;
    }
    return b;
}

/* The disk block holding block index N of inode INUM: 0 for a hole.  With
 * ALLOC, missing data and index blocks are allocated (zero-filled); on
 * failure (disk full, I/O error) returns 0 with *ERR set.  Lock held. */
static uint32_t bmap(uint32_t inum, uint32_t n, bool alloc, bool *err)
{
    struct foliofs_inode *di = dinode(inum);
    if (n < FS_IND_FIRST)
        return field_get(inum, &di->direct[n], alloc, err);
    if (n < FS_DIND_FIRST) {
        uint32_t ind = field_get(inum, &di->indirect, alloc, err);
        return ind ? entry_get(ind, n - FS_IND_FIRST, alloc, err) : 0;
    }
    if (n < FS_MAX_BLOCKS) {
        uint32_t r = n - FS_DIND_FIRST;
        uint32_t dind = field_get(inum, &di->dindirect, alloc, err);
        uint32_t ind = dind ? entry_get(dind, r / FS_PTRS_PER_BLOCK, alloc, err) : 0;
        return ind ? entry_get(ind, r % FS_PTRS_PER_BLOCK, alloc, err) : 0;
    }
    *err = true;
    return 0;
}

/* bmap for the other fs files (dir.c).  Lock held. */
uint32_t inode_map_locked(uint32_t inum, uint32_t n, bool alloc, bool *err)
{
    ASSERT_DEBUG(fs_lock_held());
    return bmap(inum, n, alloc, err);
}

/* Take the first free inode for a new empty inode of TYPE (a directory's
 * parent PARENT): its inumber, or -1 when every inode is in use.  Lock
 * held. */
int64_t inode_alloc_locked(uint32_t type, uint32_t parent)
{
    ASSERT_DEBUG(fs_lock_held());
    for (uint32_t i = 0; i < fs.sb.inode_count; i++) {
        struct foliofs_inode *di = dinode(i);
        if (di->flags & FS_INODE_IN_USE)
            continue;
        memset(di, 0, sizeof *di);
        di->flags = FS_INODE_IN_USE;
        di->type = type;
        di->parent = type == FS_TYPE_DIR ? parent : 0;
        super_inode_dirty(i);
        return i;
    }
    return -1;
}

/* Is INUM a directory?  Lock held. */
bool inode_is_dir_locked(uint32_t inum)
{
    ASSERT_DEBUG(fs_lock_held());
    return dinode(inum)->type == FS_TYPE_DIR;
}

/* The first block index >= N of inode INUM that might be mapped: skips
 * the ranges under a missing indirect or double-indirect block, or under
 * a missing entry of the double-indirect block.  Lock held. */
static uint32_t skip_holes(uint32_t inum, uint32_t n, bool *err)
{
    struct foliofs_inode *di = dinode(inum);
    if (n >= FS_IND_FIRST && n < FS_DIND_FIRST && di->indirect == 0)
        n = FS_DIND_FIRST;
    while (n >= FS_DIND_FIRST && n < FS_MAX_BLOCKS) {
        if (di->dindirect == 0)
            return FS_MAX_BLOCKS;
        uint32_t r = n - FS_DIND_FIRST;
        if (entry_get(di->dindirect, r / FS_PTRS_PER_BLOCK, false, err) || *err)
            break;
        n = FS_DIND_FIRST + (r / FS_PTRS_PER_BLOCK + 1) * FS_PTRS_PER_BLOCK;
    }
    return n;
}

/* Zero the bytes [FROM, TO) of inode INUM that lie in mapped blocks: the
 * region past the old end of the file that a write at TO exposes.  Files
 * this kernel writes have nothing mapped there but the tail of the old
 * last block; an image may.  False on an I/O error.  Lock held. */
static bool zero_gap(uint32_t inum, uint32_t from, uint32_t to)
{
    bool err = false;
    uint32_t n = from / BS;
    while (!err && (uint64_t)n * BS < to) {
        n = skip_holes(inum, n, &err);
        if (err || (uint64_t)n * BS >= to)
            break;
        uint32_t b = bmap(inum, n, false, &err);
        if (b) {
            uint64_t start = (uint64_t)n * BS > from ? (uint64_t)n * BS : from;
            uint64_t end = min64(to, (uint64_t)(n + 1) * BS);
            err = !cache_fill(b, start % BS, 0, (unsigned)(end - start));
        }
        n++;
    }
    return !err;
}

/* Free index block IDX and everything below it (DEPTH 1: data blocks;
 * 2: indirect blocks).  An unreadable index block is logged and its
 * children leaked.  Lock held. */
static void free_index(uint32_t idx, int depth)
{
    for (unsigned i = 0; i < FS_PTRS_PER_BLOCK; i++) {
        bool err = false;
        uint32_t b = entry_get(idx, i, false, &err);
        if (err) {
            printk("fs: cannot read index block %u; its blocks are leaked\n", idx);
            break;
        }
        if (b && depth == 2)
            free_index(b, 1);
        else if (b)
            super_bfree(b);
    }
    super_bfree(idx);
}

/* Free all blocks of inode INUM and clear its table entry.  Lock held. */
static void free_storage(uint32_t inum)
{
    struct foliofs_inode *di = dinode(inum);
    for (unsigned k = 0; k < FS_NDIRECT; k++)
        if (di->direct[k])
            super_bfree(di->direct[k]);
    if (di->indirect)
        free_index(di->indirect, 1);
    if (di->dindirect)
        free_index(di->dindirect, 2);
    memset(di, 0, sizeof *di);
    super_inode_dirty(inum);
}

/* ---- open inodes (lock held) ---- */

/* The live struct inode of INUM, or NULL.  Lock held. */
static struct inode *find_open(uint32_t inum)
{
    for (struct list_elem *e = list_begin(&open_inodes); e != list_end(&open_inodes);
         e = list_next(e)) {
        struct inode *ino = list_entry(e, struct inode, elem);
        if (ino->inumber == inum && !ino->gone)
            return ino;
    }
    return NULL;
}

/* Open in-use inode INUM (not removed): the existing struct inode with
 * its count raised, or a new one; NULL when out of memory.  Lock held. */
struct inode *inode_open_locked(uint32_t inum)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(inum < fs.sb.inode_count && (dinode(inum)->flags & FS_INODE_IN_USE));
    struct inode *ino = find_open(inum);
    if (ino) {
        ino->open_cnt++;
        return ino;
    }
    ino = kzalloc(sizeof *ino);
    if (!ino)
        return NULL;
    ino->inumber = inum;
    ino->open_cnt = 1;
    list_push_back(&open_inodes, &ino->elem);
    return ino;
}

/* Is INUM an open file whose name was removed?  Lock held. */
bool inode_removed_locked(uint32_t inum)
{
    ASSERT_DEBUG(fs_lock_held());
    struct inode *ino = find_open(inum);
    return ino && ino->removed;
}

/* Remove the file of inode INUM: free it now if it is not open, else at
 * its last close.  Lock held. */
void inode_remove_locked(uint32_t inum)
{
    ASSERT_DEBUG(fs_lock_held());
    struct inode *ino = find_open(inum);
    if (ino)
        ino->removed = true;
    else
        free_storage(inum);
}

/* Free every removed file still open (power-off).  Lock held. */
void inode_release_orphans_locked(void)
{
    ASSERT_DEBUG(fs_lock_held());
    for (struct list_elem *e = list_begin(&open_inodes); e != list_end(&open_inodes);
         e = list_next(e)) {
        struct inode *ino = list_entry(e, struct inode, elem);
        if (ino->removed && !ino->gone) {
            free_storage(ino->inumber);
            ino->gone = true;
        }
    }
}

/* ---- public API: each function takes fs.lock ---- */

/* Open INUMBER if it is a file that has not been removed (see inode.h).
 * Takes the fs lock. */
struct inode *inode_open(uint32_t inumber)
{
    struct inode *ino = NULL;
    lock_acquire(&fs.lock);
    if (fs.mounted && inumber < fs.sb.inode_count
        && (dinode(inumber)->flags & FS_INODE_IN_USE) && !inode_removed_locked(inumber))
        ino = inode_open_locked(inumber);
    lock_release(&fs.lock);
    return ino;
}

/* One more open of INO.  Takes the fs lock. */
struct inode *inode_reopen(struct inode *ino)
{
    if (ino) {
        lock_acquire(&fs.lock);
        ino->open_cnt++;
        lock_release(&fs.lock);
    }
    return ino;
}

/* Drop one open of INO; the last one frees the struct, and the storage of
 * a removed file.  Takes the fs lock. */
void inode_close(struct inode *ino)
{
    if (!ino)
        return;
    lock_acquire(&fs.lock);
    ASSERT(ino->open_cnt > 0);
    if (--ino->open_cnt == 0) {
        list_remove(&ino->elem);
        if (ino->removed && !ino->gone)
            free_storage(ino->inumber);
        kfree(ino);
    }
    lock_release(&fs.lock);
}

/* INO's index in the inode table.  Immutable: no lock. */
uint32_t inode_get_inumber(const struct inode *ino)
{
    return ino->inumber;
}

/* The file's size in bytes (0 once gone).  Takes the fs lock. */
off_t inode_length(struct inode *ino)
{
    lock_acquire(&fs.lock);
    off_t len = ino->gone ? 0 : (off_t)dinode(ino->inumber)->size;
    lock_release(&fs.lock);
    return len;
}

/* Whether INO's name has been removed.  Takes the fs lock. */
bool inode_is_removed(struct inode *ino)
{
    lock_acquire(&fs.lock);
    bool r = ino->removed;
    lock_release(&fs.lock);
    return r;
}

/* Whether INO is a directory.  Takes the fs lock. */
bool inode_is_dir(struct inode *ino)
{
    lock_acquire(&fs.lock);
    bool d = !ino->gone && dinode(ino->inumber)->type == FS_TYPE_DIR;
    lock_release(&fs.lock);
    return d;
}

/* How many opens INO has.  Takes the fs lock. */
int inode_open_count(struct inode *ino)
{
    lock_acquire(&fs.lock);
    int n = ino->open_cnt;
    lock_release(&fs.lock);
    return n;
}

/* Before a read of block index IDX of INO (disk block B, not cached),
 * have the cache read B and the blocks of the file right after it on the
 * disk, up to RA_BLOCKS and the end of the file (LEN bytes), in one
 * request.  Best effort: after a read error, the blocks it covered are
 * left to single reads.  Lock held. */
static void read_ahead(struct inode *ino, uint32_t idx, uint32_t b, uint64_t len)
{
    ASSERT_DEBUG(fs_lock_held());
    uint64_t blocks = (len + BS - 1) / BS;
    unsigned n = 1;
    bool err = false;
    while (n < RA_BLOCKS && idx + n < blocks
           && bmap(ino->inumber, idx + n, false, &err) == b + n)
        n++;
    if (!cache_prefetch(b, n))
        ino->ra_after = idx + n;
}

/* Read up to SIZE bytes at OFS into kernel buffer BUF (see inode.h), one
 * block step at a time, each under the fs lock.  Stops early at the end
 * of the file or on an I/O error. */
off_t inode_read_at(struct inode *ino, void *buf_, off_t size, off_t ofs)
{
    uint8_t *buf = buf_;
    off_t done = 0;

    if (size <= 0 || ofs < 0)
        return 0;
    ASSERT(!is_user_vaddr(buf));
    while (done < size) {
        uint64_t pos = (uint64_t)ofs + done;
        uint8_t *dst = buf + done;
        bool err = false;

        lock_acquire(&fs.lock);
        const struct foliofs_inode *di = dinode(ino->inumber);
        uint64_t len = ino->gone || di->type != FS_TYPE_FILE ? 0 : di->size;
        if (pos >= len) {
            lock_release(&fs.lock);
            break;
        }
        unsigned bofs = pos % BS;
        unsigned n = (unsigned)min64(min64((uint64_t)(size - done), len - pos), BS - bofs);
        uint32_t idx = (uint32_t)(pos / BS);
        uint32_t b = bmap(ino->inumber, idx, false, &err);
        if (!err && b && (idx == 0 || idx == ino->ra_next) && idx >= ino->ra_after
            && !cache_contains(b))
            read_ahead(ino, idx, b, len);
        if (!err && b)
            err = !cache_read(b, bofs, dst, n);
        else if (!err)
            memset(dst, 0, n);                   /* a hole */
        ino->ra_next = idx + 1;
        lock_release(&fs.lock);

        if (err)
            break;
        done += n;
    }
    return done;
}

/* Write SIZE bytes at OFS from kernel buffer BUF (see inode.h), one block
 * step at a time, each under the fs lock.  Stops early while writes are
 * denied, at the size limit, when the disk is full, or on an I/O error. */
off_t inode_write_at(struct inode *ino, const void *buf_, off_t size, off_t ofs)
{
    const uint8_t *buf = buf_;
    off_t done = 0;

    if (size <= 0 || ofs < 0)
        return 0;
    ASSERT(!is_user_vaddr(buf));
    while (done < size) {
        uint64_t pos = (uint64_t)ofs + done;
        if (pos >= FS_MAX_FILE_SIZE)
            break;
        unsigned bofs = pos % BS;
        unsigned n = (unsigned)min64(min64((uint64_t)(size - done), FS_MAX_FILE_SIZE - pos),
                                     BS - bofs);
        const uint8_t *src = buf + done;
        bool err = false;

        lock_acquire(&fs.lock);
        struct foliofs_inode *di = dinode(ino->inumber);
        if (ino->deny_write_cnt > 0 || ino->gone || di->type != FS_TYPE_FILE) {
            lock_release(&fs.lock);
            break;
        }
        if (pos > di->size)
            err = !zero_gap(ino->inumber, di->size, (uint32_t)pos);
        uint32_t b = err ? 0 : bmap(ino->inumber, (uint32_t)(pos / BS), true, &err);
        if (!err)
            err = !cache_write(b, bofs, src, n);
        if (!err && pos + n > di->size) {
            di->size = (uint32_t)(pos + n);
            super_inode_dirty(ino->inumber);
        }
        lock_release(&fs.lock);

        if (err)
            break;
        done += n;
    }
    return done;
}

/* An inode's deny-write count and its count of writable mappings exclude
 * each other (inode.h): raise *COUNT unless *OTHER is non-zero, and say
 * whether it was raised.  Takes the fs lock. */
static bool count_raise(int *count, const int *other)
{
    lock_acquire(&fs.lock);
    bool ok = *other == 0;
    if (ok)
        (*count)++;
    lock_release(&fs.lock);
    return ok;
}

/* Lower *COUNT, which must be positive.  Takes the fs lock. */
static void count_lower(int *count)
{
    lock_acquire(&fs.lock);
    ASSERT(*count > 0);
    (*count)--;
    lock_release(&fs.lock);
}

/* See inode.h: false while a writable mapping holds INO. */
bool inode_deny_write(struct inode *ino)
{
    return count_raise(&ino->deny_write_cnt, &ino->map_write_cnt);
}

void inode_allow_write(struct inode *ino)
{
    count_lower(&ino->deny_write_cnt);
}

/* See inode.h: false while writes to INO are denied. */
bool inode_map_writable(struct inode *ino)
{
    return count_raise(&ino->map_write_cnt, &ino->deny_write_cnt);
}

void inode_unmap_writable(struct inode *ino)
{
    count_lower(&ino->map_write_cnt);
}
