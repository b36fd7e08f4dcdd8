/* The block-device layer (see block.h).
 *
 * The device list is written only at boot, by the drivers' block_register
 * calls (kernel/main.c probes them before block_init) before anything else
 * uses it, and is read-only
 * afterwards, so lookups take no lock.  Requests are serialised by the
 * drivers; the counters, and the count of requests under way, are
 * updated with atomic adds. */
#include "kernel/dev/block.h"
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"

static struct list all_blocks;
static bool list_ready;
/* Requests (transfers, flushes, mode changes) that have entered a driver
 * and not returned: block_requests_pending(). */
static size_t n_pending;

static const char *const role_names[BLOCK_ROLE_CNT] = {
    [BLOCK_PAYLOAD] = "payload",
    [BLOCK_SWAP] = "swap",
    [BLOCK_OTHER] = "other",
};

/* Make sure the device list is initialised.  Boot thread only. */
static void ensure_list(void)
{
    if (!list_ready) {
        list_init(&all_blocks);
        list_ready = true;
    }
}

/* The I/O errors of every device, for the accounting line.  No lock. */
static size_t count_errors(void)
{
    size_t n = 0;
    for (struct block *b = block_first(); b; b = block_next(b))
        n += __atomic_load_n(&b->errors, __ATOMIC_RELAXED);
    return n;
}

/* Log one line per device the drivers registered (kernel/main.c probes
 * them first) and count their errors for the accounting line.  Called once
 * at boot, from a thread with interrupts and the scheduler running. */
void block_init(void)
{
    ensure_list();
    accounting_register_counter("io_errors", count_errors);
    int n = 0;
    for (struct block *b = block_first(); b; b = block_next(b)) {
        uint64_t mib = b->size * BLOCK_SECTOR_SIZE / (1024 * 1024);
        printk("block: %s: %lu sectors (%lu MiB), model \"%s\", role %s, %s\n",
               b->name, (unsigned long)b->size, (unsigned long)mib, b->model,
               role_names[b->role], b->mode);
        n++;
    }
    if (n == 0)
        printk("block: no disks found\n");
}

/* Register a device (see block.h).  A second device claiming a role that
 * is already taken is demoted to BLOCK_OTHER.  Boot thread only. */
struct block *block_register(const char *name, const char *model, const char *mode,
                             enum block_role role, block_sector_t size,
                             const struct block_ops *ops, void *aux)
{
    ensure_list();
    ASSERT(role < BLOCK_ROLE_CNT && ops && ops->transfer && mode);
    struct block *b = kzalloc(sizeof *b);
    if (!b)
        return NULL;
    strlcpy(b->name, name, sizeof b->name);
    strlcpy(b->model, model ? model : "", sizeof b->model);
    if (role != BLOCK_OTHER && block_get_role(role)) {
        printk("block: %s: role %s already taken, using %s\n",
               b->name, role_names[role], role_names[BLOCK_OTHER]);
        role = BLOCK_OTHER;
    }
    b->mode = mode;
    b->role = role;
    b->size = size;
    b->ops = ops;
    b->aux = aux;
    list_push_back(&all_blocks, &b->elem);
    return b;
}

/* The device with ROLE, or NULL.  No lock (the list is fixed after boot). */
struct block *block_get_role(enum block_role role)
{
    if (role >= BLOCK_ROLE_CNT || role == BLOCK_OTHER)
        return NULL;
    for (struct block *b = block_first(); b; b = block_next(b))
        if (b->role == role)
            return b;
    return NULL;
}

/* The first device in probe order, or NULL.  No lock. */
struct block *block_first(void)
{
    if (!list_ready || list_empty(&all_blocks))
        return NULL;
    return list_entry(list_begin(&all_blocks), struct block, elem);
}

/* The device after B, or NULL.  No lock. */
struct block *block_next(struct block *b)
{
    struct list_elem *e = list_next(&b->elem);
    return e == list_end(&all_blocks) ? NULL : list_entry(e, struct block, elem);
}

/* True when [SECTOR, SECTOR + COUNT) lies on B and COUNT >= 1; written so
 * that no sum can overflow.  No lock. */
bool block_range_ok(const struct block *b, block_sector_t sector, size_t count)
{
    return count >= 1 && sector < b->size && count <= b->size - sector;
}

/* Panic if the request is out of range: that is a caller's bug. */
static void check_range(const struct block *b, block_sector_t sector, size_t count,
                        const char *op)
{
    if (!block_range_ok(b, sector, count))
        PANIC("block %s: %s of %lu sectors at sector %lu is outside the device "
              "(%lu sectors)", b->name, op, (unsigned long)count,
              (unsigned long)sector, (unsigned long)b->size);
}

/* The sectors of the N pieces of IOV; panics on an empty piece or no
 * piece (a caller's bug).  Any context. */
static size_t iov_sectors(const struct block *b, const struct block_iov *iov, size_t n)
{
    size_t total = 0;
    if (n == 0)
        PANIC("block %s: request with no pieces", b->name);
    for (size_t i = 0; i < n; i++) {
        if (iov[i].count == 0 || iov[i].count > SIZE_MAX / 2 - total)
            PANIC("block %s: request piece %zu of %zu sectors", b->name, i, iov[i].count);
        total += iov[i].count;
    }
    return total;
}

/* Do a checked-range request of COUNT sectors and count it.  May sleep. */
static bool do_transfer(struct block *b, block_sector_t sector, const struct block_iov *iov,
                        size_t n, size_t count, bool write)
{
    __atomic_fetch_add(&n_pending, 1, __ATOMIC_RELAXED);
    bool ok = b->ops->transfer(b->aux, sector, iov, n, write);
    __atomic_fetch_sub(&n_pending, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(write ? &b->write_ops : &b->read_ops, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(write ? &b->write_sectors : &b->read_sectors, count,
                       __ATOMIC_RELAXED);
    if (!ok)
        __atomic_fetch_add(&b->errors, 1, __ATOMIC_RELAXED);
    return ok;
}

/* A request over IOV (see block.h); panics when out of range.  May sleep;
 * thread context. */
static bool request(struct block *b, block_sector_t sector, const struct block_iov *iov,
                    size_t n, bool write)
{
    size_t count = iov_sectors(b, iov, n);
    check_range(b, sector, count, write ? "write" : "read");
    return do_transfer(b, sector, iov, n, count, write);
}

/* Read COUNT sectors at SECTOR into BUF; panics when out of range,
 * returns false on an I/O error.  May sleep; thread context. */
bool block_read(struct block *b, block_sector_t sector, void *buf, size_t count)
{
    struct block_iov one = { buf, count };
    return request(b, sector, &one, 1, false);
}

/* Write COUNT sectors from BUF at SECTOR; panics when out of range,
 * returns false on an I/O error.  May sleep; thread context. */
bool block_write(struct block *b, block_sector_t sector, const void *buf, size_t count)
{
    struct block_iov one = { (void *)buf, count };
    return request(b, sector, &one, 1, true);
}

/* Read the sectors from SECTOR into the pieces of IOV (see block.h). */
bool block_readv(struct block *b, block_sector_t sector, const struct block_iov *iov, size_t n)
{
    return request(b, sector, iov, n, false);
}

/* Write the pieces of IOV to the sectors from SECTOR (see block.h). */
bool block_writev(struct block *b, block_sector_t sector, const struct block_iov *iov,
                  size_t n)
{
    return request(b, sector, iov, n, true);
}

/* Like block_read, but an out-of-range request returns false.  May sleep. */
bool block_try_read(struct block *b, block_sector_t sector, void *buf, size_t count)
{
    struct block_iov one = { buf, count };
    if (!b || !block_range_ok(b, sector, count))
        return false;
    return do_transfer(b, sector, &one, 1, count, false);
}

/* Like block_write, but an out-of-range request returns false.  May
 * sleep. */
bool block_try_write(struct block *b, block_sector_t sector, const void *buf, size_t count)
{
    struct block_iov one = { (void *)buf, count };
    if (!b || !block_range_ok(b, sector, count))
        return false;
    return do_transfer(b, sector, &one, 1, count, true);
}

/* Flush B's write cache; true when there is none.  May sleep. */
bool block_flush(struct block *b)
{
    if (!b->ops->flush)
        return true;
    __atomic_fetch_add(&n_pending, 1, __ATOMIC_RELAXED);
    bool ok = b->ops->flush(b->aux);
    __atomic_fetch_sub(&n_pending, 1, __ATOMIC_RELAXED);
    if (!ok)
        __atomic_fetch_add(&b->errors, 1, __ATOMIC_RELAXED);
    return ok;
}

/* Switch B between DMA and PIO (see block.h).  May sleep. */
bool block_set_dma(struct block *b, bool on)
{
    if (!b->ops->set_dma)
        return !on;
    __atomic_fetch_add(&n_pending, 1, __ATOMIC_RELAXED);
    bool ok = b->ops->set_dma(b->aux, on);
    __atomic_fetch_sub(&n_pending, 1, __ATOMIC_RELAXED);
    return ok;
}

/* See block.h.  Any context. */
size_t block_requests_pending(void)
{
    return __atomic_load_n(&n_pending, __ATOMIC_RELAXED);
}

/* B's size in sectors.  No lock (fixed). */
block_sector_t block_sectors(const struct block *b)
{
    return b->size;
}

/* B's name, "hd0:1".  No lock (fixed). */
const char *block_name(const struct block *b)
{
    return b->name;
}

/* B's role.  No lock (fixed). */
enum block_role block_role(const struct block *b)
{
    return b->role;
}

/* "payload", "swap" or "other".  Any context. */
const char *block_role_name(enum block_role role)
{
    return role < BLOCK_ROLE_CNT ? role_names[role] : "?";
}

/* Log B's counters on one line.  Thread context. */
void block_print_stats(const struct block *b)
{
    printk("block: %s: %lu reads (%lu sectors), %lu writes (%lu sectors), %lu errors\n",
           b->name, (unsigned long)b->read_ops, (unsigned long)b->read_sectors,
           (unsigned long)b->write_ops, (unsigned long)b->write_sectors,
           (unsigned long)b->errors);
}

/* Log the counters of every device.  Thread context. */
void block_print_all_stats(void)
{
    for (struct block *b = block_first(); b; b = block_next(b))
        block_print_stats(b);
}
