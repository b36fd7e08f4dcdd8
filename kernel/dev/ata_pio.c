/* Programmed I/O: READ SECTORS and WRITE SECTORS (and their EXT forms),
 * the data moved through the data register by the CPU.
 *
 * Protocol facts (the ATA/ATAPI command set):
 *   - PIO data-in (READ SECTORS): after the command, and after each
 *     sector is read out of the data register, the device raises INTRQ
 *     when the next sector is ready (DRQ set).
 *   - PIO data-out (WRITE SECTORS): the first sector is written as soon
 *     as DRQ is set (no interrupt); each written sector is followed by an
 *     interrupt, the last one signalling completion.
 * After a wake-up the thread re-checks the status by polling
 * (channel_wait_step), so a stray interrupt can never make it transfer
 * data early.  Each command runs in the driver's one command skeleton,
 * ata_run_command (kernel/dev/ata_channel.c); what is here is its data
 * phase. */
#include "kernel/dev/ata.h"
#include "kernel/dev/ata_internal.h"
#include "kernel/io.h"

/* READ SECTORS' data phase: each sector once DRQ says it is ready, then
 * the final status.  Lock held (the skeleton's). */
static bool read_phase(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    uint8_t st;
    for (unsigned i = 0; i < cmd->count; i++) {
        st = channel_wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || !(st & STA_DRQ)) {
            ata_command_failed(d, cmd->what, cmd->lba + i, cmd->count - i, st, -1);
            return false;
        }
        if (i + 1 < cmd->count)
            channel_arm(c, poll);     /* the next sector's interrupt follows insw */
        insw(c->base + REG_DATA, ata_cursor_ptr(cmd->k), SECTOR_WORDS);
        ata_cursor_advance(cmd->k, BLOCK_SECTOR_SIZE);
    }
    channel_delay400(c);
    st = channel_alt_status(c);
    if (st & (STA_ERR | STA_DF)) {
        ata_command_failed(d, cmd->what, cmd->lba, cmd->count, st, -1);
        return false;
    }
    return true;
}

/* WRITE SECTORS' data phase: the first sector as soon as DRQ is set,
 * each other one after the previous one's interrupt.  Lock held (the
 * skeleton's). */
static bool write_phase(struct disk *d, struct ata_command *cmd, bool poll)
{
    struct channel *c = d->ch;
    uint8_t st;
    /* The first sector goes out as soon as DRQ is set: no interrupt. */
    channel_delay400(c);
    if (!channel_wait_not_busy(c, ata_timeout_ms(), &st) || (st & (STA_ERR | STA_DF))
        || !(st & STA_DRQ)) {
        ata_command_failed(d, cmd->what, cmd->lba, cmd->count, st, -1);
        return false;
    }
    for (unsigned i = 0; i < cmd->count; i++) {
        channel_arm(c, poll);
        outsw(c->base + REG_DATA, ata_cursor_ptr(cmd->k), SECTOR_WORDS);
        ata_cursor_advance(cmd->k, BLOCK_SECTOR_SIZE);
        st = channel_wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || (i + 1 < cmd->count && !(st & STA_DRQ))) {
            ata_command_failed(d, cmd->what, cmd->lba + i, cmd->count - i, st, -1);
            return false;
        }
    }
    return true;
}

/* See ata_internal.h: one READ SECTORS or WRITE SECTORS command (or its
 * EXT form).  Acquires the channel lock. */
bool pio_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count, bool write)
{
    bool ext = ata_need_ext(lba, count);
    uint8_t op = write ? (ext ? CMD_WRITE_SECTORS_EXT : CMD_WRITE_SECTORS)
                       : (ext ? CMD_READ_SECTORS_EXT : CMD_READ_SECTORS);
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
