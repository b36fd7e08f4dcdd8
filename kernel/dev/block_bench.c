/* selftest_iobench: raw disk throughput, for `make bench` (bench/run.py).
 *
 * Sequential requests of 4 KiB and of 64 KiB, reads and writes, on the
 * swap disk (which holds nothing during a self-test).  For each kind the
 * disk moves data by PIO and by DMA in turn (block_set_dma), ROUNDS slices
 * of SLICE_TICKS timer ticks each, so that a change in the host's load
 * between slices hits both modes alike; a disk without DMA (`ata=pio`)
 * runs the PIO slices only.  Time is measured with the TSC, whose rate is
 * measured against the PIT first.  One line per kind and mode goes to the
 * kernel log:
 *
 *   iobench: hd0:1 mode=dma op=read size=4096 requests=N bytes=B us=U
 *
 * and the console shows only the usual PASS, so the frame does not depend
 * on the machine.  A final write and read-back of a pattern by each mode
 * checks that the requests moved real data. */
#include "kernel/dev/block.h"
#include "kernel/console.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/kmalloc.h"

#define BIG_BYTES (64 * 1024)
#define ROUNDS 5
#define SLICE_TICKS 5               /* 50 ms a slice */
#define MIN_REQUESTS 4              /* a slice */
#define REGION_SECTORS 16384        /* 8 MiB at most, then wrap */

/* What one kind of request measured in one mode, summed over slices. */
struct tally {
    uint64_t requests, cycles;
};

/* Move requests of BYTES bytes from sector *AT on (wrapping at REGION),
 * for at least SLICE_TICKS ticks and MIN_REQUESTS requests; add to *T.
 * False (st_fail) on an I/O error. */
static bool run_slice(struct block *b, uint8_t *buf, size_t bytes, bool write,
                      block_sector_t region, block_sector_t *at, struct tally *t)
{
    size_t count = bytes / BLOCK_SECTOR_SIZE;
    uint64_t n = 0;
    int64_t end = timer_ticks() + SLICE_TICKS;
    uint64_t c0 = rdtsc();
    while (n < MIN_REQUESTS || timer_ticks() < end) {
        if (*at + count > region)
            *at = 0;
        bool ok = write ? block_write(b, *at, buf, count) : block_read(b, *at, buf, count);
        if (!ok) {
            st_fail("%s of %zu sectors at %lu failed (%s)", write ? "write" : "read", count,
                    (unsigned long)*at, b->mode);
            return false;
        }
        *at += count;
        n++;
    }
    t->cycles += rdtsc() - c0;
    t->requests += n;
    return true;
}

/* Log the line of one kind and mode.  HZ is the TSC rate. */
static void report(struct block *b, const char *mode, size_t bytes, bool write,
                   const struct tally *t, uint64_t hz)
{
    printk("iobench: %s mode=%s op=%s size=%zu requests=%lu bytes=%lu us=%lu\n",
           block_name(b), mode, write ? "write" : "read", bytes,
           (unsigned long)t->requests, (unsigned long)(t->requests * bytes),
           (unsigned long)(t->cycles * 1000000 / hz));
}

/* Write a pattern in the current mode, read it back and compare.  False
 * (st_fail) on a mismatch or an error. */
static bool check_pattern(struct block *b, uint8_t *buf, unsigned seed)
{
    size_t count = BIG_BYTES / BLOCK_SECTOR_SIZE;
    for (size_t i = 0; i < BIG_BYTES; i++)
        buf[i] = (uint8_t)(i * 7 + i / 4096 + seed);
    if (!block_write(b, 0, buf, count) || !(memset(buf, 0, BIG_BYTES), block_read(b, 0, buf, count))) {
        st_fail("%s: pattern write or read failed", b->mode);
        return false;
    }
    for (size_t i = 0; i < BIG_BYTES; i++)
        if (buf[i] != (uint8_t)(i * 7 + i / 4096 + seed)) {
            st_fail("%s: byte %zu of the pattern reads 0x%02x", b->mode, i, buf[i]);
            return false;
        }
    return true;
}

/* The I/O benchmark (see the file comment).  Thread context. */
void selftest_iobench(void)
{
    static const size_t sizes[] = { 4096, BIG_BYTES };
    struct block *b = block_get_role(BLOCK_SWAP);
    uint8_t *buf = NULL;

    if (!b || block_sectors(b) < BIG_BYTES / BLOCK_SECTOR_SIZE * 2) {
        st_fail("needs a swap disk of at least 128 KiB");
        return;
    }
    buf = kmalloc(BIG_BYTES);
    if (!buf) {
        st_fail("out of memory");
        return;
    }
    bool dma = block_set_dma(b, true);
    block_sector_t region = block_sectors(b) < REGION_SECTORS ? block_sectors(b)
                                                              : REGION_SECTORS;
    uint64_t hz = timer_tsc_hz();
    if (hz == 0) {
        st_fail("cannot measure the TSC rate (PIT channel 2)");
        goto out;
    }
    printk("iobench: TSC at %lu kHz; %s\n", (unsigned long)(hz / 1000),
           dma ? "PIO and DMA slices in turn" : "no DMA: PIO only");
    memset(buf, 0x5A, BIG_BYTES);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (int write = 0; write < 2; write++) {
            struct tally pio = { 0, 0 }, by_dma = { 0, 0 };
            block_sector_t at_pio = 0, at_dma = 0;
            for (int r = 0; r < ROUNDS; r++) {
                block_set_dma(b, false);
                if (!run_slice(b, buf, sizes[i], write, region, &at_pio, &pio))
                    goto out;
                if (dma && (!block_set_dma(b, true)
                            || !run_slice(b, buf, sizes[i], write, region, &at_dma, &by_dma)))
                    goto out;
            }
            report(b, "pio", sizes[i], write, &pio, hz);
            if (dma)
                report(b, "dma", sizes[i], write, &by_dma, hz);
        }
    block_set_dma(b, false);
    if (check_pattern(b, buf, 1) && dma) {
        block_set_dma(b, true);
        check_pattern(b, buf, 2);
    }
out:
    block_set_dma(b, dma);
    kfree(buf);
}
