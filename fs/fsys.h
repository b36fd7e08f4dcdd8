/* Internal to fs/: the mounted file system's state and the functions the
 * fs files share.  Not for other layers (they use filesys.h, file.h and
 * inode.h).
 *
 * THE LOCKING RULE.  One sleeping lock, fs.lock, guards everything here:
 * the superblock copy, the bitmap, the inode table, the block cache, the
 * list of open inodes and every struct inode's fields.  Each public entry
 * point (filesys_*, file_*, inode_*) takes it and releases it before
 * returning; the functions below expect it held ("Lock held.") and
 * check it (ASSERT_DEBUG(fs_lock_held())).  Disk I/O
 * happens with the lock held.  Callers' buffers are kernel memory (see
 * inode.c), so no page fault can happen while it is held. */
#ifndef FS_FSYS_H
#define FS_FSYS_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/foliofs.h"
#include "kernel/dev/block.h"
#include "kernel/sync.h"

struct inode;

struct fs_state {
    struct lock lock;
    bool mounted;
    struct block *dev;                 /* the payload disk */
    struct foliofs_super sb;           /* validated copy of block 1 */
    uint8_t *bitmap;                   /* bitmap_blocks whole blocks */
    uint8_t *bitmap_dirty;             /* one flag per bitmap block */
    struct foliofs_inode *inodes;      /* inode_blocks whole blocks */
    uint8_t *inode_dirty;              /* one flag per inode-table block */
    uint32_t free_blocks;              /* clear bits in [data_start, total) */
    uint32_t alloc_hint;               /* where the next search starts */
};

extern struct fs_state fs;

/* Does the running thread hold fs.lock?  The functions below check it
 * with ASSERT_DEBUG. */
static inline bool fs_lock_held(void)
{
    return lock_held_by_current_thread(&fs.lock);
}

/* super.c: mount, write-back, allocation.  Lock held. */
bool super_mount(struct block *dev);
bool super_sync(void);
bool super_block_ok(uint32_t block);   /* a block number a file may map */
uint32_t super_balloc(void);           /* 0 when the disk is full */
void super_bfree(uint32_t block);
void super_inode_dirty(uint32_t inumber);
bool super_read_block(uint32_t block, void *buf);
bool super_write_block(uint32_t block, const void *buf);

/* cache.c: the block cache for data and index blocks.  Lock held. */
bool cache_init(struct block *dev);
void cache_free(void);
bool cache_read(uint32_t block, unsigned ofs, void *buf, unsigned n);
bool cache_write(uint32_t block, unsigned ofs, const void *buf, unsigned n);
bool cache_fill(uint32_t block, unsigned ofs, uint8_t byte, unsigned n);
bool cache_zero(uint32_t block);
void cache_discard(uint32_t block);
bool cache_flush(void);
unsigned cache_dirty_count(void);
bool cache_prefetch(uint32_t first, unsigned n);
bool cache_contains(uint32_t block);
struct cache_stats {
    unsigned hits, misses;          /* lookups */
    unsigned read_requests;         /* disk reads: single blocks and prefetch runs */
    unsigned prefetched;            /* blocks read by cache_prefetch */
    unsigned write_requests;        /* write-back requests, of one or more blocks */
    unsigned writebacks;            /* blocks written back */
};
void cache_get_stats(struct cache_stats *out);

/* inode.c: the in-memory inodes.  Lock held, but for inode_init (boot). */
void inode_init(void);
struct inode *inode_open_locked(uint32_t inumber);
bool inode_removed_locked(uint32_t inumber);
void inode_remove_locked(uint32_t inumber);
void inode_release_orphans_locked(void);
uint32_t inode_blocks_needed(uint64_t size);
uint32_t inode_map_locked(uint32_t inumber, uint32_t n, bool alloc, bool *err);
int64_t inode_alloc_locked(uint32_t type, uint32_t parent);
bool inode_is_dir_locked(uint32_t inumber);

#endif
