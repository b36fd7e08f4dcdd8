/* The block cache: CACHE_SLOTS blocks of the payload disk, write-back,
 * replaced by the clock algorithm.
 *
 * Only data blocks and index (indirect) blocks go through the cache; the
 * superblock, bitmap and inode table have their own in-memory copies
 * (super.c), so no disk block is ever held in two places.
 *
 * Multi-block I/O.  A dirty slot is written back together with the dirty
 * slots of the blocks next to it on the disk, in one scatter-gather
 * request of up to WB_MAX blocks (the slot pages are apart in memory);
 * cache_prefetch reads a run of blocks that are not cached in one request
 * (the inode layer asks for it on sequential reads).
 *
 * Dirty limits.  Before a write dirties one more slot, the cache writes
 * the lowest run of dirty blocks back once DIRTY_SOFT of the slots are
 * dirty, so that writes go out in long runs and clean slots stay for
 * reads.  Nothing is dropped on a write error: a block whose write-back
 * fails stays dirty (and is logged), eviction passes over it to another
 * slot, and the next write-back or sync tries again; but once DIRTY_HARD
 * of the slots are dirty and cannot be written, writes that would dirty
 * one more are refused (the writer sees a short write), so the slots left
 * still serve reads, such as a program's code.
 *
 * Every function expects fs.lock held: the cache has no lock of its own.
 * No pointer into a slot ever leaves this file, so a later call evicting
 * the slot cannot leave a caller with a stale pointer.  The slot pages are
 * allocated once at mount and never freed while mounted, so the kernel's
 * page accounting does not move during a run. */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/palloc.h"
#include "fs/fsys.h"

#define CACHE_SLOTS 32
#define MIN_SLOTS 4
#define WB_MAX 16              /* blocks in one write-back request (64 KiB) */
#define DIRTY_SOFT(n) ((n) * 3 / 4)   /* dirty slots that start a write-back */
#define DIRTY_HARD(n) ((n) * 7 / 8)   /* ... and that refuse writes while it fails */
#define SECTORS_PER_BLOCK (FS_BLOCK_SIZE / BLOCK_SECTOR_SIZE)

struct slot {
    uint32_t block;        /* valid only when VALID */
    bool valid;
    bool dirty;            /* differs from the disk */
    bool referenced;       /* used since the clock hand last passed */
    bool busy;             /* being filled by cache_prefetch: not evictable */
    uint8_t *data;         /* one page */
};

static struct slot slots[CACHE_SLOTS];
static unsigned nslots;
static unsigned hand;
static struct block *dev;
static struct cache_stats stats;

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

/* The slot holding BLOCK, or NULL.  Lock held. */
static struct slot *lookup(uint32_t block)
{
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].valid && slots[i].block == block)
            return &slots[i];
    return NULL;
}

/* The dirty slot of BLOCK, or NULL.  Lock held. */
static struct slot *dirty_slot(uint32_t block)
{
    struct slot *s = lookup(block);
    return s && s->dirty ? s : NULL;
}

/* Write slot S back if dirty, with the dirty slots of the blocks right
 * after it (and, with BACKWARD, right before it) in one request of at
 * most WB_MAX blocks.  On success the run is clean; on an error (logged)
 * it stays dirty.  Returns false on an error.  Lock held. */
static bool write_back(struct slot *s, bool backward)
{
    struct block_iov iov[WB_MAX];
    struct slot *run[WB_MAX];
    if (!s->valid || !s->dirty)
        return true;
    uint32_t first = s->block;
    while (backward && s->block - first + 1 < WB_MAX && first - 1 >= fs.sb.data_start
           && dirty_slot(first - 1))
        first--;
    unsigned n = 0;
    for (struct slot *r; n < WB_MAX && (r = dirty_slot(first + n)) != NULL; n++) {
        run[n] = r;
        iov[n] = (struct block_iov){ r->data, SECTORS_PER_BLOCK };
    }
    stats.write_requests++;
    if (!block_writev(dev, (block_sector_t)first * SECTORS_PER_BLOCK, iov, n)) {
        printk("fs: cache: write-back of blocks %u..%u failed; kept dirty\n", first,
               first + n - 1);
        return false;
    }
    for (unsigned i = 0; i < n; i++)
        run[i]->dirty = false;
    stats.writebacks += n;
    return true;
}

/* Choose a slot to reuse (an empty one, else the first unreferenced one
 * the clock hand meets whose write-back succeeds), and empty it.  A slot
 * whose write-back fails is passed over for the rest of the call.  NULL
 * (logged) when three turns of the hand found none.  Lock held. */
static struct slot *evict(void)
{
    uint32_t failed = 0;              /* one bit per slot */
    for (unsigned i = 0; i < nslots; i++)
        if (!slots[i].valid && !slots[i].busy)
            return &slots[i];
    for (unsigned step = 0; step < 3 * nslots; step++) {
        unsigned i = hand;
        struct slot *s = &slots[i];
        hand = (hand + 1) % nslots;
        if (s->busy || (failed >> i & 1))
            continue;
        if (s->referenced) {
            s->referenced = false;
            continue;
        }
        if (!write_back(s, true)) {
            failed |= 1u << i;
            continue;
        }
        s->valid = false;
        return s;
    }
    printk("fs: cache: no slot can be freed (write-backs failing)\n");
    return NULL;
}

/* Before a write dirties the slot of BLOCK: when DIRTY_SOFT of the slots
 * are dirty (not counting BLOCK's own if it already is), write the lowest
 * run of dirty blocks back; when that fails and DIRTY_HARD are dirty,
 * refuse (false, logged).  Lock held. */
static bool room_to_dirty(uint32_t block)
{
    if (dirty_slot(block))
        return true;
    unsigned dirty = cache_dirty_count();
    if (dirty < DIRTY_SOFT(nslots))
        return true;
    struct slot *lowest = NULL;
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].valid && slots[i].dirty && (!lowest || slots[i].block < lowest->block))
            lowest = &slots[i];
    if (write_back(lowest, false) || dirty < DIRTY_HARD(nslots))
        return true;
    printk("fs: cache: write to block %u refused: %u of %u slots hold blocks that "
           "cannot be written\n", block, dirty, nslots);
    return false;
}

/* The slot of BLOCK, loaded according to HOW: FETCH_READ reads it from
 * the disk on a miss, FETCH_ZERO makes it all zeros (dirty), FETCH_NOREAD
 * leaves the contents for the caller to overwrite entirely.  DIRTYING: the
 * caller is about to dirty it (room_to_dirty decides first).  Returns
 * NULL on a read error or a refused write (logged).  Lock held. */
static struct slot *fetch(uint32_t block, enum fetch how, bool dirtying)
{
    ASSERT_DEBUG(fs_lock_held());
    ASSERT(nslots > 0 && super_block_ok(block));
    if (dirtying && !room_to_dirty(block))
        return NULL;
    struct slot *s = lookup(block);
    if (s) {
        stats.hits++;
    } else {
        stats.misses++;
        s = evict();
        if (!s)
            return NULL;
        if (how == FETCH_READ) {
            stats.read_requests++;
            if (!block_read(dev, (block_sector_t)block * SECTORS_PER_BLOCK, s->data,
                            SECTORS_PER_BLOCK)) {
                printk("fs: cache: read of block %u failed\n", block);
                return NULL;
            }
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
    struct slot *s = fetch(block, FETCH_READ, false);
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
    struct slot *s = fetch(block, n == FS_BLOCK_SIZE ? FETCH_NOREAD : FETCH_READ, true);
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
    struct slot *s = fetch(block, n == FS_BLOCK_SIZE ? FETCH_NOREAD : FETCH_READ, true);
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
    return fetch(block, FETCH_ZERO, true) != NULL;
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

/* Write every dirty slot back, in block order, each run of consecutive
 * dirty blocks in one request.  False if any write failed (logged; those
 * blocks stay dirty).  Lock held. */
bool cache_flush(void)
{
    ASSERT_DEBUG(fs_lock_held());
    bool ok = true;
    uint64_t floor = 0;               /* blocks below it were tried already */
    for (;;) {
        struct slot *next = NULL;
        for (unsigned i = 0; i < nslots; i++)
            if (slots[i].valid && slots[i].dirty && slots[i].block >= floor
                && (!next || slots[i].block < next->block))
                next = &slots[i];
        if (!next)
            return ok;
        uint32_t first = next->block;
        if (!write_back(next, false))
            ok = false;
        floor = (uint64_t)first + 1;          /* past the run, which may have failed */
        while (floor < (uint64_t)first + WB_MAX && dirty_slot((uint32_t)floor))
            floor++;
    }
}

/* The number of dirty slots (blocks not yet on the disk).  Lock held. */
unsigned cache_dirty_count(void)
{
    ASSERT_DEBUG(fs_lock_held());
    unsigned n = 0;
    for (unsigned i = 0; i < nslots; i++)
        n += slots[i].valid && slots[i].dirty;
    return n;
}

/* Bring the blocks [FIRST, FIRST + N) that are not cached into the cache,
 * each run of them with one request; at most half the slots are filled.
 * Best effort: after a read error (logged by the driver) the run's blocks
 * stay out of the cache, and a later cache_read of one reads it alone.
 * Returns false after a read error.  Every block must be one
 * super_block_ok accepts.  Lock held. */
bool cache_prefetch(uint32_t first, unsigned n)
{
    struct block_iov iov[CACHE_SLOTS / 2];
    struct slot *run[CACHE_SLOTS / 2];
    unsigned most = nslots / 2;
    ASSERT_DEBUG(fs_lock_held());
    for (unsigned i = 0; i < n;) {
        if (lookup(first + i)) {
            i++;
            continue;
        }
        unsigned k = 0;
        for (struct slot *s; i + k < n && k < most && !lookup(first + i + k); k++) {
            ASSERT(super_block_ok(first + i + k));
            if (!(s = evict()))
                break;
            *s = (struct slot){ .block = first + i + k, .busy = true, .data = s->data };
            run[k] = s;
            iov[k] = (struct block_iov){ s->data, SECTORS_PER_BLOCK };
        }
        if (k == 0)
            return true;                      /* no slot could be freed */
        stats.read_requests++;
        bool ok = block_readv(dev, (block_sector_t)(first + i) * SECTORS_PER_BLOCK, iov, k);
        for (unsigned j = 0; j < k; j++) {
            run[j]->busy = false;
            run[j]->valid = ok;
            run[j]->referenced = ok;
        }
        if (!ok)
            return false;
        stats.prefetched += k;
        i += k;
    }
    return true;
}

/* Whether BLOCK is in the cache.  Lock held. */
bool cache_contains(uint32_t block)
{
    ASSERT_DEBUG(fs_lock_held());
    return lookup(block) != NULL;
}

/* Report the counters (for the kernel log).  Lock held. */
void cache_get_stats(struct cache_stats *out)
{
    ASSERT_DEBUG(fs_lock_held());
    *out = stats;
}
