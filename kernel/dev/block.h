/* The block-device layer.
 *
 * A block device is an array of 512-byte sectors.  Drivers describe each
 * device they find with block_register(); users look devices up by role
 * (block_get_role) and move whole sectors with block_read/block_write.
 *
 * Roles come from the device's position (docs/interfaces.md, section 1):
 * IDE primary master is the payload disk, primary slave the swap disk, any
 * other disk is BLOCK_OTHER.
 *
 * A request that reaches past the end of a device is a kernel bug and
 * panics naming the device and sector: callers check sizes first (or use
 * block_try_read/block_try_write, which refuse such requests).  An I/O
 * error reported by the hardware is logged and returned as false.
 *
 * A request may be of any length and, with block_readv/block_writev,
 * scatter-gather over pieces of memory that are not contiguous: the driver
 * moves it in as few device commands as the hardware allows (one
 * interrupt per command with DMA).  A failed request moved an unknown
 * part of its range: a caller that must know which sectors are good
 * retries smaller pieces.
 *
 * All functions may sleep: call them from a thread, not from an interrupt
 * handler.  With interrupts off the ATA driver falls back to polling, so a
 * power-off path that runs with interrupts disabled can still write. */
#ifndef KERNEL_DEV_BLOCK_H
#define KERNEL_DEV_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/list.h"

#define BLOCK_SECTOR_SIZE 512

typedef uint64_t block_sector_t;

enum block_role {
    BLOCK_PAYLOAD,   /* IDE primary master: GRUB env block + foliofs */
    BLOCK_SWAP,      /* IDE primary slave: swap slots */
    BLOCK_OTHER,     /* anything else */
    BLOCK_ROLE_CNT
};

/* One piece of a scatter-gather request: COUNT (>= 1) whole sectors at
 * BUF.  BUF is kernel memory (the direct map or the kernel image); the
 * pieces of one request need not be contiguous.  A driver moving data by
 * DMA needs even addresses below 4 GiB; the ATA driver moves a request
 * with a piece its engine cannot reach by programmed I/O. */
struct block_iov {
    void *buf;
    size_t count;
};

/* What a driver provides.  TRANSFER gets the driver's AUX pointer and
 * moves the sectors [SECTOR, SECTOR + total) to (WRITE) or from the N
 * pieces of IOV, in order; total is the sum of their counts (>= 1).  It
 * returns false on an I/O error (which the driver has logged), in which
 * case any part of the range may or may not have been moved.  The block
 * layer has already checked the range. */
struct block_ops {
    bool (*transfer)(void *aux, block_sector_t sector, const struct block_iov *iov,
                     size_t n, bool write);
    bool (*flush)(void *aux);   /* may be NULL: nothing to flush */
    bool (*set_dma)(void *aux, bool on);   /* may be NULL: no DMA */
};

struct block {
    struct list_elem elem;          /* all_blocks */
    char name[16];                  /* "hd0:0" */
    char model[41];                 /* from the device, spaces trimmed */
    const char *mode;               /* how the driver moves data: "dma", "pio" */
    block_sector_t size;            /* in sectors */
    enum block_role role;
    const struct block_ops *ops;
    void *aux;                      /* driver private data */
    /* Counters, updated atomically. */
    uint64_t read_ops, read_sectors;
    uint64_t write_ops, write_sectors;
    uint64_t errors;
};

/* Log each device the drivers registered (kernel/main.c probes them
 * first). */
void block_init(void);

/* For drivers: register a device.  Returns NULL when out of memory. */
struct block *block_register(const char *name, const char *model, const char *mode,
                             enum block_role role, block_sector_t size,
                             const struct block_ops *ops, void *aux);

/* The device with ROLE, or NULL when there is none. */
struct block *block_get_role(enum block_role role);
/* The first registered device (in probe order), and the next one. */
struct block *block_first(void);
struct block *block_next(struct block *b);

bool block_read(struct block *b, block_sector_t sector, void *buf, size_t count);
bool block_write(struct block *b, block_sector_t sector, const void *buf, size_t count);
/* One request over the N pieces of IOV, in order: the sectors from SECTOR
 * on are read into (written from) IOV[0], then IOV[1], ...  Out of range
 * panics as for block_read.  For instance N pages written to N
 * consecutive swap slots, or read back from them, in one request. */
bool block_readv(struct block *b, block_sector_t sector, const struct block_iov *iov, size_t n);
bool block_writev(struct block *b, block_sector_t sector, const struct block_iov *iov,
                  size_t n);
/* Same, but a range outside the device returns false instead of panicking. */
bool block_try_read(struct block *b, block_sector_t sector, void *buf, size_t count);
bool block_try_write(struct block *b, block_sector_t sector, const void *buf, size_t count);
/* True when sectors [SECTOR, SECTOR + COUNT) all lie on B (COUNT >= 1). */
bool block_range_ok(const struct block *b, block_sector_t sector, size_t count);
/* Write the device's volatile cache to the medium. */
bool block_flush(struct block *b);
/* Move B's data by DMA (ON) or by programmed I/O from now on; false when
 * the device cannot do DMA.  Requests under way finish as they started.
 * For benchmarks and tests that compare the two in one boot. */
bool block_set_dma(struct block *b, bool on);

/* Requests (transfers, flushes, DMA mode changes) that have entered a
 * driver and not yet returned: threads waiting for a disk interrupt or
 * for a channel another request holds.  The deadlock check
 * (kernel/hangcheck.c) counts them as work still pending. */
size_t block_requests_pending(void);

block_sector_t block_sectors(const struct block *b);
const char *block_name(const struct block *b);
enum block_role block_role(const struct block *b);
const char *block_role_name(enum block_role role);

/* Log one line of counters for B, or for every device. */
void block_print_stats(const struct block *b);
void block_print_all_stats(void);

#endif
