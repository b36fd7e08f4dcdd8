/* The block cache: CACHE_SLOTS blocks of the payload disk, write-back,
 * replaced by the clock algorithm.
 *
 * Only data blocks and index (indirect) blocks go through the cache; the
 * superblock, bitmap and inode table have their own in-memory copies
 * (super.c), so no disk block is ever held in two places.
 *
 * Every function expects fs.lock held: the cache has no lock of its own.
 * No pointer into a slot ever leaves this file, so a later call evicting
 * the slot cannot leave a caller with a stale pointer.  The slot pages are
 * allocated once at mount and never freed while mounted, so the kernel's
 * page accounting does not move during a run. */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/palloc.h"
#include "fs/fsys.h"

#define CACHE_SLOTS 32
#define MIN_SLOTS 4
#define SECTORS_PER_BLOCK (FS_BLOCK_SIZE / BLOCK_SECTOR_SIZE)

struct slot {
    uint32_t block;        /* valid only when VALID */
    bool valid;
    bool dirty;            /* differs from the disk */
    bool referenced;       /* used since the clock hand last passed */
    uint8_t *data;         /* one page */
};

static struct slot slots[CACHE_SLOTS];
static unsigned nslots;
static unsigned hand;
static struct block *dev;
static unsigned hits, misses, writebacks;

enum fetch { FETCH_READ, FETCH_ZERO, FETCH_NOREAD };

/* Allocate the slot pages (as many as possible, at least MIN_SLOTS).
 * Returns false, having freed what it took, when memory is short.  Lock
 * held (mount). */
bool cache_init(struct block *d)
{
    ASSERT_DEBUG(fs_lock_held());
    dev = d;
    nslots = 0;
    hand = 0;
    for (unsigned i = 0; i < CACHE_SLOTS; i++) {
        uint8_t *page = palloc_get_page(0);
        if (!page)
            break;
        slots[nslots++] = (struct slot){ .data = page };
    }
    if (nslots < MIN_SLOTS) {
        cache_free();
        return false;
    }
    return true;
}

/* Give back the slot pages, dropping their contents.  Lock held. */
void cache_free(void)
{
    ASSERT_DEBUG(fs_lock_held());
    for (unsigned i = 0; i < nslots; i++)
        palloc_free_page(slots[i].data);
    nslots = 0;
}

/* Write slot S to the disk if dirty.  A write error is logged and the
 * data dropped: there is nobody to hand the error to.  Lock held. */
static bool write_back(struct slot *s)
{
    if (!s->valid || !s->dirty)
        return true;
    s->dirty = false;
    writebacks++;
    if (!block_write(dev, (block_sector_t)s->block * SECTORS_PER_BLOCK, s->data,
                     SECTORS_PER_BLOCK)) {
        printk("fs: cache: write-back of block %u failed; data lost\n", s->block);
        return false;
    }
    return true;
}

/* The slot holding BLOCK, or NULL.  Lock held. */
static struct slot *lookup(uint32_t block)
{
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].valid && slots[i].block == block)
            return &slots[i];
    return NULL;
}

/* Choose a slot to reuse (an empty one, else the first unreferenced one
 * the clock hand meets), write it back and empty it.  Lock held. */
static struct slot *evict(void)
{
    for (unsigned i = 0; i < nslots; i++)
        if (!slots[i].valid)
            return &slots[i];
    for (;;) {
        struct slot *s = &slots[hand];
        hand = (hand + 1) % nslots;
        if (s->referenced) {
            s->referenced = false;
            continue;
        }
        write_back(s);
        s->valid = false;
        return s;
    }
}

/* The slot of BLOCK, loaded according to HOW: FETCH_READ reads it from
 * the disk on a miss, FETCH_ZERO makes it all zeros (dirty), FETCH_NOREAD
 * leaves the contents for the caller to overwrite entirely.  Returns NULL
 * on a read error (logged).  Lock held. */
static struct slot *fetch(uint32_t block, enum fetch how)
{
    ASSERT(lock_held_by_current_thread(&fs.lock));
    ASSERT(nslots > 0 && super_block_ok(block));
    struct slot *s = lookup(block);
    if (s) {
        hits++;
    } else {
        misses++;
        s = evict();
        if (how == FETCH_READ
            && !block_read(dev, (block_sector_t)block * SECTORS_PER_BLOCK, s->data,
                           SECTORS_PER_BLOCK)) {
            printk("fs: cache: read of block %u failed\n", block);
            return NULL;
        }
        s->block = block;
        s->valid = true;
        s->dirty = false;
    }
    if (how == FETCH_ZERO) {
        memset(s->data, 0, FS_BLOCK_SIZE);
        s->dirty = true;
    }
    s->referenced = true;
    return s;
}

/* Copy N bytes at offset OFS of BLOCK into BUF.  False on a read error.
 * Lock held; BUF must be kernel memory. */
bool cache_read(uint32_t block, unsigned ofs, void *buf, unsigned n)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(ofs <= FS_BLOCK_SIZE && n <= FS_BLOCK_SIZE - ofs);
    struct slot *s = fetch(block, FETCH_READ);
    if (!s)
        return false;
    memcpy(buf, s->data + ofs, n);
    return true;
}

/* Copy N bytes from BUF to offset OFS of BLOCK; a whole-block write skips
 * reading the old contents.  False on a read error.  Lock held; BUF must
 * be kernel memory. */
bool cache_write(uint32_t block, unsigned ofs, const void *buf, unsigned n)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(ofs <= FS_BLOCK_SIZE && n <= FS_BLOCK_SIZE - ofs);
    struct slot *s = fetch(block, n == FS_BLOCK_SIZE ? FETCH_NOREAD : FETCH_READ);
    if (!s)
        return false;
    memcpy(s->data + ofs, buf, n);
    s->dirty = true;
    return true;
}

/* Set N bytes at offset OFS of BLOCK to BYTE.  Lock held. */
bool cache_fill(uint32_t block, unsigned ofs, uint8_t byte, unsigned n)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(ofs <= FS_BLOCK_SIZE && n <= FS_BLOCK_SIZE - ofs);
    struct slot *s = fetch(block, n == FS_BLOCK_SIZE ? FETCH_NOREAD : FETCH_READ);
    if (!s)
        return false;
    memset(s->data + ofs, byte, n);
    s->dirty = true;
    return true;
}

/* Make BLOCK (just allocated) all zeros without reading it.  Lock held. */
bool cache_zero(uint32_t block)
{
    ASSERT_DEBUG(fs_lock_held());
    return fetch(block, FETCH_ZERO) != NULL;
}

/* Forget BLOCK (just freed): its contents will never be written.  Lock
 * held. */
void cache_discard(uint32_t block)
{
    ASSERT_DEBUG(fs_lock_held());
    struct slot *s = lookup(block);
    if (s) {
        s->valid = false;
        s->dirty = false;
    }
}

/* Write every dirty slot back, in block order for the disk's sake.
 * False if any write failed (logged).  Lock held. */
bool cache_flush(void)
{
    ASSERT_DEBUG(fs_lock_held());
    bool ok = true;
    for (;;) {
        struct slot *next = NULL;
        for (unsigned i = 0; i < nslots; i++)
            if (slots[i].valid && slots[i].dirty && (!next || slots[i].block < next->block))
                next = &slots[i];
        if (!next)
            return ok;
        if (!write_back(next))
            ok = false;
    }
}

/* Report the counters (for the kernel log).  Lock held. */
void cache_stats(unsigned *h, unsigned *m, unsigned *w)
{
    ASSERT_DEBUG(fs_lock_held());
    *h = hits;
    *m = misses;
    *w = writebacks;
}
