/* The block-device layer (see block.h).
 *
 * The device list is written only by block_init() (through the drivers'
 * block_register calls) before anything else uses it, and is read-only
 * afterwards, so lookups take no lock.  Requests are serialised by the
 * drivers; the counters are updated with atomic adds. */
#include "kernel/dev/block.h"
#include "kernel/dev/ata.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

static struct list all_blocks;
static bool list_ready;

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

/* Probe every driver and log one line per device.  Called once at boot,
 * from a thread with interrupts and the scheduler running. */
void block_init(void)
{
    ensure_list();
    ata_init();
    int n = 0;
    for (struct block *b = block_first(); b; b = block_next(b)) {
        uint64_t mib = b->size * BLOCK_SECTOR_SIZE / (1024 * 1024);
        printk("block: %s: %lu sectors (%lu MiB), model \"%s\", role %s\n",
               b->name, (unsigned long)b->size, (unsigned long)mib, b->model,
               role_names[b->role]);
        n++;
    }
    if (n == 0)
        printk("block: no disks found\n");
}

/* Register a device (see block.h).  A second device claiming a role that
 * is already taken is demoted to BLOCK_OTHER.  Boot thread only. */
struct block *block_register(const char *name, const char *model,
                             enum block_role role, block_sector_t size,
                             const struct block_ops *ops, void *aux)
{
    ensure_list();
    ASSERT(role < BLOCK_ROLE_CNT && ops && ops->read && ops->write);
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

/* Do a checked-range read and count it.  May sleep. */
static bool do_read(struct block *b, block_sector_t sector, void *buf, size_t count)
{
    bool ok = b->ops->read(b->aux, sector, buf, count);
    __atomic_fetch_add(&b->read_ops, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&b->read_sectors, count, __ATOMIC_RELAXED);
    if (!ok)
        __atomic_fetch_add(&b->errors, 1, __ATOMIC_RELAXED);
    return ok;
}

/* Do a checked-range write and count it.  May sleep. */
static bool do_write(struct block *b, block_sector_t sector, const void *buf, size_t count)
{
    bool ok = b->ops->write(b->aux, sector, buf, count);
    __atomic_fetch_add(&b->write_ops, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&b->write_sectors, count, __ATOMIC_RELAXED);
    if (!ok)
        __atomic_fetch_add(&b->errors, 1, __ATOMIC_RELAXED);
    return ok;
}

/* Read COUNT sectors at SECTOR into BUF; panics when out of range,
 * returns false on an I/O error.  May sleep; thread context. */
bool block_read(struct block *b, block_sector_t sector, void *buf, size_t count)
{
    check_range(b, sector, count, "read");
    return do_read(b, sector, buf, count);
}

/* Write COUNT sectors from BUF at SECTOR; panics when out of range,
 * returns false on an I/O error.  May sleep; thread context. */
bool block_write(struct block *b, block_sector_t sector, const void *buf, size_t count)
{
    check_range(b, sector, count, "write");
    return do_write(b, sector, buf, count);
}

/* Like block_read, but an out-of-range request returns false.  May sleep. */
bool block_try_read(struct block *b, block_sector_t sector, void *buf, size_t count)
{
    if (!b || !block_range_ok(b, sector, count))
        return false;
    return do_read(b, sector, buf, count);
}

/* Like block_write, but an out-of-range request returns false.  May
 * sleep. */
bool block_try_write(struct block *b, block_sector_t sector, const void *buf, size_t count)
{
    if (!b || !block_range_ok(b, sector, count))
        return false;
    return do_write(b, sector, buf, count);
}

/* Flush B's write cache; true when there is none.  May sleep. */
bool block_flush(struct block *b)
{
    if (!b->ops->flush)
        return true;
    bool ok = b->ops->flush(b->aux);
    if (!ok)
        __atomic_fetch_add(&b->errors, 1, __ATOMIC_RELAXED);
    return ok;
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
