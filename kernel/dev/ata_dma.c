/* Bus-master DMA: READ DMA and WRITE DMA (and their EXT forms), the data
 * moved by the channel's bus-master engine.
 *
 * Protocol facts (the ATA/ATAPI command set and the PCI IDE bus-master
 * programming interface, the one of Intel's PIIX): the host loads the
 * channel's bus-master engine with the physical address of a table of
 * physical region descriptors (PRDs: address, byte count up to 64 KiB, no
 * region crossing a 64 KiB boundary, the last one flagged), sets the
 * direction, issues the command and sets the engine's start bit; the
 * device and the engine move every sector of the command, then the device
 * raises INTRQ once.  The engine's status has an error bit and an
 * interrupt bit (both cleared by writing 1).  Polling (interrupts off),
 * the driver watches the engine's interrupt bit: the device keeps BSY
 * clear while the engine moves data.
 *
 * The issuing thread fills the channel's PRD table under the channel
 * lock, in the command skeleton's preparation step (ata_run_command,
 * kernel/dev/ata_channel.c). */
#include "kernel/dev/ata.h"
#include "kernel/dev/ata_internal.h"
#include "kernel/io.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/timer.h"

/* Keep the compiler from moving memory accesses across the point where
 * the device starts or has finished reading or writing memory.  Any
 * context. */
static inline void dma_barrier(void)
{
    __asm__ volatile("" : : : "memory");
}

/* See ata_internal.h.  Any context. */
bool dma_reachable(const struct block_iov *iov, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t va = (uint64_t)iov[i].buf;
        if (va < DMAP_BASE || (va & 1)
            || vtop(iov[i].buf) + iov[i].count * BLOCK_SECTOR_SIZE > DMA_LIMIT)
            return false;
    }
    return true;
}

/* The byte count of PRD P.  Any context. */
static uint32_t prd_bytes(const struct prd *p)
{
    return p->bytes ? p->bytes : (uint32_t)PRD_REGION;
}

/* Fill C's PRD table for at most MAX sectors of the request at K (which
 * is not moved): one entry per physically contiguous run, split at 64 KiB
 * boundaries.  Returns the sectors the table covers: MAX unless the table
 * filled first, in which case it ends at the last whole sector.  Lock
 * held. */
static unsigned fill_prdt(struct channel *c, const struct cursor *from, unsigned max)
{
    struct cursor k = *from;
    struct prd *t = c->prdt;
    size_t used = 0;
    uint64_t bytes = 0, limit = (uint64_t)max * BLOCK_SECTOR_SIZE;

    while (bytes < limit && k.n > 0) {
        uint64_t pa = vtop(ata_cursor_ptr(&k));
        uint64_t len = ata_min_u64(ata_cursor_piece_left(&k), limit - bytes);
        len = ata_min_u64(len, PRD_REGION - (pa & (PRD_REGION - 1)));
        if (used > 0 && t[used - 1].addr + prd_bytes(&t[used - 1]) == pa
            && (pa & (PRD_REGION - 1)) != 0) {
            t[used - 1].bytes = (uint16_t)(prd_bytes(&t[used - 1]) + len);  /* stays in its region */
        } else {
            if (used == PRDT_ENTRIES)
                break;
            t[used++] = (struct prd){ (uint32_t)pa, (uint16_t)len, 0 };
        }
        bytes += len;
        ata_cursor_advance(&k, len);
    }
    /* A full table may end inside a sector: drop that sector's part. */
    for (uint64_t excess = bytes % BLOCK_SECTOR_SIZE; excess > 0;) {
        uint32_t last = prd_bytes(&t[used - 1]);
        uint32_t cut = (uint32_t)ata_min_u64(excess, last);
        if (cut == last)
            used--;
        else
            t[used - 1].bytes = (uint16_t)(last - cut);
        excess -= cut;
        bytes -= cut;
    }
    ASSERT(used > 0 && bytes >= BLOCK_SECTOR_SIZE);
    t[used - 1].flags = PRD_LAST;
    return (unsigned)(bytes / BLOCK_SECTOR_SIZE);
}

/* Wait for the end of the DMA command on C: the interrupt, or with POLL
 * the bus-master interrupt bit.  Stores the bus-master status in *BM and
 * returns the device status, acknowledged; on timeout, a status with BSY
 * and ERR set.  Lock held. */
static uint8_t wait_dma(struct channel *c, bool poll, uint8_t *bm)
{
    if (!poll) {
        if (!channel_wait_interrupt(c)) {
            *bm = inb(c->bm + BM_STATUS);
            return STA_BSY | STA_ERR;
        }
        *bm = c->irq_bm_status;
        return c->irq_status;
    }
    unsigned ms = ata_timeout_ms();
    int64_t deadline = ata_deadline_after(ms);
    uint64_t spins = (uint64_t)ms * 4000;
    for (;;) {
        *bm = inb(c->bm + BM_STATUS);
        if (*bm & BM_STA_INT)
            break;
        if (timer_ticks() > deadline || spins-- == 0)
            return STA_BSY | STA_ERR;
    }
    outb(c->bm + BM_STATUS, *bm);         /* clear the interrupt and error bits */
    return inb(c->base + REG_STATUS);
}

/* The DMA command's preparation, with the channel lock: the PRD table
 * for as many of CMD's sectors as it holds (lowering CMD's count), the
 * command byte for that count, the engine's direction, and with POLL its
 * interrupt and error bits cleared (the handler clears them otherwise). */
static void dma_prepare(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    cmd->count = fill_prdt(c, cmd->k, cmd->count);
    cmd->ext = ata_need_ext(cmd->lba, cmd->count);
    cmd->op = cmd->write ? (cmd->ext ? CMD_WRITE_DMA_EXT : CMD_WRITE_DMA)
                         : (cmd->ext ? CMD_READ_DMA_EXT : CMD_READ_DMA);
    dma_barrier();                              /* the table and a write's data */
    outb(c->bm + BM_CMD, cmd->write ? 0 : BM_CMD_TO_MEMORY);
    if (poll)
        outb(c->bm + BM_STATUS, inb(c->bm + BM_STATUS) | BM_STA_INT | BM_STA_ERR);
}

/* The DMA command's completion, once it is issued: start the engine, wait
 * for the one interrupt (or poll), stop the engine, check both statuses;
 * moves CMD's cursor on when every sector moved.  Lock held (the
 * skeleton's). */
static bool dma_finish(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    uint8_t dir = cmd->write ? 0 : BM_CMD_TO_MEMORY;
    uint8_t bm;
    outb(c->bm + BM_CMD, dir | BM_CMD_START);
    uint8_t st = wait_dma(c, poll, &bm);
    outb(c->bm + BM_CMD, dir);                  /* stop the engine */
    dma_barrier();                              /* a read's data */
    if ((st & (STA_BSY | STA_ERR | STA_DF)) || (bm & BM_STA_ERR)) {
        ata_command_failed(d, cmd->what, cmd->lba, cmd->count, st, bm);
        return false;
    }
    ata_cursor_advance(cmd->k, (size_t)cmd->count * BLOCK_SECTOR_SIZE);
    return true;
}

/* See ata_internal.h: one READ DMA or WRITE DMA command.  Acquires the
 * channel lock. */
unsigned dma_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count,
                      bool write)
{
    struct ata_command cmd = {
        .what = write ? "DMA write" : "DMA read",
        .write = write,
        .lba = lba,
        .count = count,
        .k = k,
        .interrupt_at_issue = true,
        .prepare = dma_prepare,
        .finish = dma_finish,
    };
    return ata_run_command(d, &cmd) ? cmd.count : 0;
}
