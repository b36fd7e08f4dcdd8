/* selftest_block: the block layer and the ATA driver, on the swap disk.
 *
 * Writes distinct patterns to single sectors, to 8-sector (one page)
 * requests, to a request longer than one ATA command (256 sectors) and to
 * the last sectors of the disk, reads them back one by one and in one
 * request, moves scatter-gather requests both ways (pieces apart in
 * memory, one not sector-aligned, and a request of more pieces than one
 * DMA command's descriptor table holds, with a piece split at a 64 KiB
 * physical boundary where the table fills), moves a request with
 * interrupts off (the driver polls), and checks that the checking API
 * refuses out-of-range requests.  It names the transfer mode (DMA or
 * PIO) on the console, so each suite checks the one it asks for.  The swap disk holds nothing at this point, so its content is
 * not saved.  Also reads the payload disk's GRUB environment block (read
 * only).  Throughput figures go to the kernel log, not the console, so
 * the console output does not depend on the machine. */
#include "kernel/dev/ata.h"
#include "kernel/dev/block.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"

#define BIG_COUNT 300              /* more than one ATA command */
#define SG_SECTOR 400              /* where the scatter-gather tests write */
#define MANY 600                   /* pieces: more than a PRD table's 512 entries */
#define REGION (64 * 1024)         /* a PRD entry may not cross such a boundary */

/* The byte at offset I of sector SECTOR in round ROUND. */
static uint8_t pattern(block_sector_t sector, size_t i, unsigned round)
{
    return (uint8_t)(sector * 131 + i * 7 + (i >> 8) + round * 29 + 1);
}

/* Fill COUNT sectors of BUF with the round-ROUND pattern from SECTOR. */
static void fill(uint8_t *buf, block_sector_t sector, size_t count, unsigned round)
{
    for (size_t s = 0; s < count; s++)
        for (size_t i = 0; i < BLOCK_SECTOR_SIZE; i++)
            buf[s * BLOCK_SECTOR_SIZE + i] = pattern(sector + s, i, round);
}

/* True when BUF holds the round-ROUND pattern of COUNT sectors at SECTOR;
 * reports the first mismatch. */
static bool check(const uint8_t *buf, block_sector_t sector, size_t count, unsigned round)
{
    for (size_t s = 0; s < count; s++)
        for (size_t i = 0; i < BLOCK_SECTOR_SIZE; i++)
            if (buf[s * BLOCK_SECTOR_SIZE + i] != pattern(sector + s, i, round)) {
                st_fail("sector %lu byte %lu: read 0x%02x, wrote 0x%02x",
                        (unsigned long)(sector + s), (unsigned long)i,
                        buf[s * BLOCK_SECTOR_SIZE + i], pattern(sector + s, i, round));
                return false;
            }
    return true;
}

/* Write COUNT sectors at SECTOR with pattern ROUND; false on error. */
static bool put(struct block *b, uint8_t *buf, block_sector_t sector, size_t count,
                unsigned round)
{
    fill(buf, sector, count, round);
    if (!block_write(b, sector, buf, count)) {
        st_fail("write of %lu sectors at %lu failed", (unsigned long)count,
                (unsigned long)sector);
        return false;
    }
    return true;
}

/* Read COUNT sectors at SECTOR and check pattern ROUND. */
static bool get(struct block *b, uint8_t *buf, block_sector_t sector, size_t count,
                unsigned round)
{
    memset(buf, 0, count * BLOCK_SECTOR_SIZE);
    if (!block_read(b, sector, buf, count)) {
        st_fail("read of %lu sectors at %lu failed", (unsigned long)count,
                (unsigned long)sector);
        return false;
    }
    return check(buf, sector, count, round);
}

/* Whether COUNT sectors at BUF hold sector images SRC[0], SRC[1], ...
 * where SRC[i] is a sector-sized buffer; reports the first mismatch. */
static bool same_sectors(const uint8_t *buf, uint8_t *const *src, size_t count, const char *what)
{
    for (size_t i = 0; i < count; i++)
        if (memcmp(buf + i * BLOCK_SECTOR_SIZE, src[i], BLOCK_SECTOR_SIZE) != 0) {
            st_fail("%s: sector %zu differs", what, i);
            return false;
        }
    return true;
}

/* A write and a read over three pieces apart in memory (8 sectors in a
 * page, 3 sectors at BIG + 16, not sector-aligned, and 1 sector), each
 * checked against a plain request the other way.  BIG holds at least 24
 * sectors.  False on failure (reported). */
static bool scatter_pieces(struct block *b, uint8_t *big)
{
    uint8_t *page = kmalloc(PGSIZE), *one = kmalloc(BLOCK_SECTOR_SIZE);
    uint8_t *mid = big + 16, *flat = big + 12 * BLOCK_SECTOR_SIZE;
    bool ok = false;
    if (!page || !one) {
        st_fail("out of memory");
        goto out;
    }
    struct block_iov iov[] = { { page, 8 }, { mid, 3 }, { one, 1 } };
    uint8_t *src[12];
    for (size_t i = 0; i < 12; i++)
        src[i] = i < 8 ? page + i * BLOCK_SECTOR_SIZE
                       : i < 11 ? mid + (i - 8) * BLOCK_SECTOR_SIZE : one;
    for (size_t i = 0; i < 12; i++)
        fill(src[i], SG_SECTOR + i, 1, 7);
    if (!block_writev(b, SG_SECTOR, iov, 3) || !block_read(b, SG_SECTOR, flat, 12)
        || !same_sectors(flat, src, 12, "gathered write")) {
        st_fail("scatter-gather write over 3 pieces");
        goto out;
    }
    fill(flat, SG_SECTOR + 20, 12, 8);
    for (size_t i = 0; i < 12; i++)
        memset(src[i], 0, BLOCK_SECTOR_SIZE);
    if (!block_write(b, SG_SECTOR + 20, flat, 12) || !block_readv(b, SG_SECTOR + 20, iov, 3)
        || !same_sectors(flat, src, 12, "scattered read")) {
        st_fail("scatter-gather read into 3 pieces");
        goto out;
    }
    ok = true;
out:
    kfree(page);
    kfree(one);
    return ok;
}

/* A request of MANY one-sector pieces alternating between two places A
 * and B: no two neighbours are adjacent in memory, so DMA needs one
 * descriptor per piece (two for B, which straddles a 64 KiB physical
 * boundary at its middle) and more than one command; the table fills
 * inside B, so a command must end at a whole sector.  Written, read back
 * flat; then read back into the pieces, which leaves the last two
 * sectors' images in A and B.  BIG holds at least BIG_COUNT sectors.
 * False on failure (reported). */
static bool many_pieces(struct block *b, uint8_t *big)
{
    struct block_iov *iov = kmalloc(MANY * sizeof *iov);
    uint8_t *wide = kmalloc(2 * REGION);
    uint8_t *a = kmalloc(BLOCK_SECTOR_SIZE);
    bool ok = false;
    if (!iov || !wide || !a) {
        st_fail("out of memory");
        goto out;
    }
    uint64_t pa = vtop(wide) + BLOCK_SECTOR_SIZE / 2;
    uint8_t *bb = wide + ((pa + REGION - 1) / REGION * REGION - pa);   /* boundary - 256 */
    fill(a, 0, 1, 11);
    fill(bb, 1, 1, 12);
    for (size_t i = 0; i < MANY; i++)
        iov[i] = (struct block_iov){ i % 2 ? bb : a, 1 };
    if (!block_writev(b, SG_SECTOR + 100, iov, MANY)) {
        st_fail("write of %d alternating pieces failed", MANY);
        goto out;
    }
    for (size_t done = 0; done < MANY; done += BIG_COUNT) {
        uint8_t *src[BIG_COUNT];
        for (size_t i = 0; i < BIG_COUNT; i++)
            src[i] = (done + i) % 2 ? bb : a;
        if (!block_read(b, SG_SECTOR + 100 + done, big, BIG_COUNT)
            || !same_sectors(big, src, BIG_COUNT, "alternating pieces")) {
            st_fail("the %d alternating pieces did not read back", MANY);
            goto out;
        }
    }
    fill(big, SG_SECTOR + 100, MANY < BIG_COUNT ? MANY : BIG_COUNT, 13);
    if (!block_write(b, SG_SECTOR + 100 + MANY - 2, big, 2) || !block_readv(b, SG_SECTOR + 100, iov, MANY)
        || memcmp(a, big, BLOCK_SECTOR_SIZE) != 0
        || memcmp(bb, big + BLOCK_SECTOR_SIZE, BLOCK_SECTOR_SIZE) != 0) {
        st_fail("read into %d alternating pieces", MANY);
        goto out;
    }
    ok = true;
out:
    kfree(iov);
    kfree(wide);
    kfree(a);
    return ok;
}

/* Time reading and writing 1 MiB in page-sized requests; log the rates. */
static void measure(struct block *b, uint8_t *buf)
{
    const size_t total = 2048;
    if (block_sectors(b) < total)
        return;
    int64_t t0 = timer_ticks();
    for (size_t s = 0; s < total; s += 8)
        block_read(b, s, buf, 8);
    int64_t t1 = timer_ticks();
    for (size_t s = 0; s < total; s += 8)
        block_write(b, s, buf, 8);
    int64_t t2 = timer_ticks();
    int64_t rd = t1 - t0 > 0 ? t1 - t0 : 1, wr = t2 - t1 > 0 ? t2 - t1 : 1;
    printk("block test: %s: read %lu sectors in %ld ticks (%ld sectors/s), "
           "wrote them in %ld ticks (%ld sectors/s)\n", block_name(b),
           (unsigned long)total, (long)(t1 - t0), (long)(total * TIMER_FREQ / rd),
           (long)(t2 - t1), (long)(total * TIMER_FREQ / wr));
}

/* The block self-test (see the file comment).  Thread context. */
void selftest_block(void)
{
    struct block *swap = block_get_role(BLOCK_SWAP);
    struct block *payload = block_get_role(BLOCK_PAYLOAD);
    uint8_t *buf = NULL;

    if (!swap) {
        st_fail("no swap disk (IDE primary slave)");
        return;
    }
    block_sector_t n = block_sectors(swap);
    if (n < 1024) {
        st_fail("swap disk %s has only %lu sectors", block_name(swap), (unsigned long)n);
        return;
    }
    st_msg("swap disk found, moving data by %s", strcmp(swap->mode, "dma") == 0 ? "DMA" : "PIO");
    buf = kmalloc(BIG_COUNT * BLOCK_SECTOR_SIZE);
    if (!buf) {
        st_fail("out of memory");
        return;
    }

    /* Sectors 2..6 are never written by the rounds below: zero them now
     * and check at the end that writes to their neighbours left them. */
    memset(buf, 0, 5 * BLOCK_SECTOR_SIZE);
    if (!block_write(swap, 2, buf, 5)) {
        st_fail("write of sectors 2..6 failed");
        goto out;
    }

    /* Single sectors, pages, an odd count, a request split in two
     * commands, and the end of the disk, in two rounds so a stale
     * result from round 0 cannot pass round 1. */
    static const struct { uint64_t sector; size_t count; bool from_end; } reqs[] = {
        { 0, 1, false }, { 1, 1, false }, { 7, 1, false }, { 16, 8, false },
        { 24, 8, false }, { 37, 3, false }, { 64, BIG_COUNT, false },
        { 1, 1, true }, { 8, 8, true }, { 17, 8, true },
    };
    const size_t nreq = sizeof reqs / sizeof reqs[0];
    for (unsigned round = 0; round < 2; round++) {
        for (size_t r = 0; r < nreq; r++) {
            block_sector_t s = reqs[r].from_end ? n - reqs[r].sector : reqs[r].sector;
            if (!put(swap, buf, s, reqs[r].count, round))
                goto out;
        }
        for (size_t r = 0; r < nreq; r++) {
            block_sector_t s = reqs[r].from_end ? n - reqs[r].sector : reqs[r].sector;
            /* Back one sector at a time, then as one request. */
            for (size_t i = 0; i < reqs[r].count; i++)
                if (!get(swap, buf, s + i, 1, round))
                    goto out;
            if (!get(swap, buf, s, reqs[r].count, round))
                goto out;
        }
    }
    st_msg("patterns read back, including the last sector");

    if (!scatter_pieces(swap, buf) || !many_pieces(swap, buf))
        goto out;
    st_msg("scatter-gather requests read and write their pieces");

    /* With interrupts off the driver polls: a power-off path may write. */
    enum intr_level old = intr_disable();
    bool polled = put(swap, buf, 900, 16, 5) && get(swap, buf, 900, 16, 5);
    intr_set_level(old);
    if (!polled)
        goto out;
    st_msg("requests with interrupts off complete by polling");

    /* Neighbours of the written ranges were not disturbed. */
    memset(buf, 0xAA, 5 * BLOCK_SECTOR_SIZE);
    if (block_read(swap, 2, buf, 5)) {
        bool zero = true;
        for (size_t i = 0; i < 5 * BLOCK_SECTOR_SIZE; i++)
            zero = zero && buf[i] == 0;
        ST_CHECK(zero, "sectors 2..6 were changed by writes to their neighbours");
    } else {
        st_fail("read of sectors 2..6 failed");
    }

    /* The checking API refuses what block_read would panic on. */
    ST_CHECK(!block_try_read(swap, n, buf, 1), "read at sector n accepted");
    ST_CHECK(!block_try_read(swap, n - 1, buf, 2), "read across the end accepted");
    ST_CHECK(!block_try_write(swap, n, buf, 1), "write at sector n accepted");
    ST_CHECK(!block_try_read(swap, 0, buf, 0), "empty read accepted");
    ST_CHECK(!block_try_read(swap, UINT64_MAX, buf, 2), "wrapping read accepted");
    ST_CHECK(block_try_read(swap, n - 1, buf, 1), "read of the last sector refused");
    ST_CHECK(!block_range_ok(swap, n - 8, 9), "range past the end accepted");
    ST_CHECK(block_range_ok(swap, n - 8, 8), "range at the end refused");
    st_msg("out-of-range requests refused");

    ST_CHECK(swap->write_sectors > 0 && swap->read_sectors > 0, "counters not updated");
    ST_CHECK(block_flush(swap), "flush failed");

    if (payload) {
        static const char env[] = "# GRUB Environment Block\n";
        if (block_read(payload, 0, buf, 1))
            ST_CHECK(memcmp(buf, env, sizeof env - 1) == 0,
                     "payload disk does not start with a GRUB environment block");
        else
            st_fail("read of payload sector 0 failed");
        st_msg("payload disk readable");
    }

    measure(swap, buf);
    block_print_all_stats();
out:
    kfree(buf);
}

/* selftest_ioerror: I/O errors reach the caller.  Run by the harness with
 * QEMU's blkdebug failing, once each, the first write that covers swap
 * sector IOERR_WRITE and the first read that covers IOERR_READ.  Writes
 * sectors 0..255 in page-sized requests and reads them back in two
 * scatter-gather requests of 128 sectors: exactly the requests holding
 * those sectors must fail, their retries must succeed, and the data read
 * back must be the data written.  The driver logs each failure (the
 * harness checks the lines). */
#define IOERR_WRITE 100
#define IOERR_READ 200
#define IOERR_SPAN 256
void selftest_ioerror(void)
{
    struct block *swap = block_get_role(BLOCK_SWAP);
    uint8_t *buf = kmalloc(IOERR_SPAN * BLOCK_SECTOR_SIZE);
    uint8_t *half = kmalloc(64 * BLOCK_SECTOR_SIZE);
    int failed = -1;

    if (!swap || !buf || !half) {
        st_fail(!swap ? "no swap disk" : "out of memory");
        goto out;
    }
    uint64_t errors0 = swap->errors;
    fill(buf, 0, IOERR_SPAN, 3);
    for (int s = 0; s < IOERR_SPAN; s += 8) {
        if (block_write(swap, s, buf + s * BLOCK_SECTOR_SIZE, 8))
            continue;
        ST_CHECK(failed < 0, "a second write failed, at sector %d", s);
        failed = s;
        ST_CHECK(block_write(swap, s, buf + s * BLOCK_SECTOR_SIZE, 8),
                 "the retry of the write at sector %d failed", s);
    }
    if (failed != IOERR_WRITE / 8 * 8) {
        st_fail("the failed write started at sector %d, not %d", failed, IOERR_WRITE / 8 * 8);
        goto out;
    }
    st_msg("the write covering sector %d failed and its retry succeeded", IOERR_WRITE);

    /* Each read: the first 64 sectors into BUF, the next 64 into HALF. */
    failed = -1;
    for (int s = 0; s < IOERR_SPAN; s += 128) {
        struct block_iov iov[] = { { buf + s * BLOCK_SECTOR_SIZE, 64 }, { half, 64 } };
        memset(buf + s * BLOCK_SECTOR_SIZE, 0, 128 * BLOCK_SECTOR_SIZE);
        if (!block_readv(swap, s, iov, 2)) {
            ST_CHECK(failed < 0, "a second read failed, at sector %d", s);
            failed = s;
            if (!block_readv(swap, s, iov, 2)) {
                st_fail("the retry of the read at sector %d failed", s);
                goto out;
            }
        }
        memcpy(buf + (s + 64) * BLOCK_SECTOR_SIZE, half, 64 * BLOCK_SECTOR_SIZE);
    }
    if (failed != IOERR_READ / 128 * 128) {
        st_fail("the failed read started at sector %d, not %d", failed, IOERR_READ / 128 * 128);
        goto out;
    }
    if (!check(buf, 0, IOERR_SPAN, 3))
        goto out;
    st_msg("the read covering sector %d failed; its retry read the data written", IOERR_READ);
    ST_CHECK(swap->errors - errors0 == 2, "the device counted %lu errors, not 2",
             (unsigned long)(swap->errors - errors0));
out:
    kfree(buf);
    kfree(half);
}

/* selftest iotimeout: a command whose interrupt never comes.  The driver
 * is told to lose the next awaited interrupt; a write of 8 sectors on the
 * swap disk must then fail, no sooner than the driver's timeout
 * (ata_timeout_ms; logged, the channel reset), and the disk must work
 * afterwards: the write again, a read of it, the pattern compared. */
void selftest_iotimeout(void)
{
    struct block *swap = block_get_role(BLOCK_SWAP);
    uint8_t *buf = kmalloc(8 * BLOCK_SECTOR_SIZE);
    if (!swap || !buf) {
        st_fail(!swap ? "no swap disk" : "out of memory");
        goto out;
    }
    fill(buf, 40, 8, 9);
    ata_lose_next_interrupt();
    int64_t t0 = timer_ticks();
    if (block_write(swap, 40, buf, 8)) {
        st_fail("the write whose interrupt was lost succeeded");
        goto out;
    }
    int64_t timeout_ticks = (int64_t)ata_timeout_ms() * TIMER_FREQ / 1000;
    ST_CHECK(timer_ticks() - t0 >= timeout_ticks, "the write failed after %ld ticks, "
             "before the timeout of %ld", (long)(timer_ticks() - t0), (long)timeout_ticks);
    st_msg("the write whose interrupt was lost failed after the timeout");
    if (put(swap, buf, 40, 8, 9) && get(swap, buf, 40, 8, 9))
        st_msg("after the channel reset the disk writes and reads again");
out:
    kfree(buf);
}
