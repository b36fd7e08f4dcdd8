/* Programmed I/O: READ/WRITE MULTIPLE, or READ/WRITE SECTORS on a disk
 * without a PIO block size (and their EXT forms), the data moved through
 * the data register by the CPU.
 *
 * Protocol facts (the ATA/ATAPI command set):
 *   - The data moves in DRQ blocks: D->multiple sectors each for READ/
 *     WRITE MULTIPLE (the last block may be shorter), one sector for
 *     READ/WRITE SECTORS.
 *   - PIO data-in (READ): after the command, and after each block is read
 *     out of the data register, the device raises INTRQ when the next
 *     block is ready (DRQ set).
 *   - PIO data-out (WRITE): the first block is written as soon as DRQ is
 *     set (no interrupt); each written block is followed by an interrupt,
 *     the last one signalling completion.
 *   - An error ends the command at the block it happened in, so the
 *     driver reports a failure from that block's first sector on.
 * After a wake-up the thread re-checks the status by polling
 * (channel_wait_step), so a stray interrupt can never make it transfer
 * data early.  Each command runs in the driver's one command skeleton,
 * ata_run_command (kernel/dev/ata_channel.c); what is here is its data
 * phase. */
#include "kernel/dev/ata.h"
#include "kernel/dev/ata_internal.h"
#include "kernel/io.h"

/* Sectors in the DRQ block of CMD that starts at sector I of it.  Any
 * context. */
static unsigned block_at(const struct disk *d, const struct ata_command *cmd, unsigned i)
{
    unsigned per = d->multiple ? d->multiple : 1;
    return cmd->count - i < per ? cmd->count - i : per;
}

/* Move the N sectors of one DRQ block between the data register and K
 * (a block may span pieces of the request).  Lock held (the skeleton's). */
static void move_block(struct channel *c, struct cursor *k, unsigned n, bool write)
{
    for (unsigned s = 0; s < n; s++) {
        if (write)
            outsw(c->base + REG_DATA, ata_cursor_ptr(k), SECTOR_WORDS);
        else
            insw(c->base + REG_DATA, ata_cursor_ptr(k), SECTOR_WORDS);
        ata_cursor_advance(k, BLOCK_SECTOR_SIZE);
    }
}

/* A read's data phase: each block once DRQ says it is ready, then the
 * final status.  Lock held (the skeleton's). */
static bool read_phase(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    uint8_t st;
    for (unsigned i = 0, n; i < cmd->count; i += n) {
        n = block_at(d, cmd, i);
        st = channel_wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || !(st & STA_DRQ)) {
            ata_command_failed(d, cmd->what, cmd->lba + i, cmd->count - i, st, -1);
            return false;
        }
        if (i + n < cmd->count)
            channel_arm(c, poll);     /* the next block's interrupt follows insw */
        move_block(c, cmd->k, n, false);
    }
    channel_delay400(c);
    st = channel_alt_status(c);
    if (st & (STA_ERR | STA_DF)) {
        ata_command_failed(d, cmd->what, cmd->lba, cmd->count, st, -1);
        return false;
    }
    return true;
}

/* A write's data phase: the first block as soon as DRQ is set, each other
 * one after the previous one's interrupt.  Lock held (the skeleton's). */
static bool write_phase(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    uint8_t st;
    /* The first block goes out as soon as DRQ is set: no interrupt. */
    channel_delay400(c);
    if (!channel_wait_not_busy(c, ata_timeout_ms(), &st) || (st & (STA_ERR | STA_DF))
        || !(st & STA_DRQ)) {
        ata_command_failed(d, cmd->what, cmd->lba, cmd->count, st, -1);
        return false;
    }
    for (unsigned i = 0, n; i < cmd->count; i += n) {
        n = block_at(d, cmd, i);
        channel_arm(c, poll);
        move_block(c, cmd->k, n, true);
        st = channel_wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || (i + n < cmd->count && !(st & STA_DRQ))) {
            ata_command_failed(d, cmd->what, cmd->lba + i, cmd->count - i, st, -1);
            return false;
        }
    }
    return true;
}

/* The command byte of a PIO transfer on D.  Any context. */
static uint8_t pio_op(const struct disk *d, bool ext, bool write)
{
    if (d->multiple)
        return write ? (ext ? CMD_WRITE_MULTIPLE_EXT : CMD_WRITE_MULTIPLE)
                     : (ext ? CMD_READ_MULTIPLE_EXT : CMD_READ_MULTIPLE);
    return write ? (ext ? CMD_WRITE_SECTORS_EXT : CMD_WRITE_SECTORS)
                 : (ext ? CMD_READ_SECTORS_EXT : CMD_READ_SECTORS);
}

/* See ata_internal.h: one READ/WRITE MULTIPLE or SECTORS command (or its
 * EXT form).  Acquires the channel lock. */
bool pio_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count, bool write)
{
    bool ext = ata_need_ext(lba, count);
    uint8_t op = pio_op(d, ext, write);
    struct ata_command cmd = {
        .what = write ? "PIO write" : "PIO read",
        .op = op,
        .ext = ext,
        .write = write,
        .lba = lba,
        .count = count,
        .k = k,
        .interrupt_at_issue = !write,   /* a write's first sector goes out on DRQ */
        .finish = write ? write_phase : read_phase,
    };
    return ata_run_command(d, &cmd);
}
