/* The channels of the ATA driver (see ata_internal.h): their registers,
 * waits, interrupt, error reports and resets, and the one skeleton that
 * every command of a request runs in (ata_run_command).
 *
 * Protocol facts (the ATA/ATAPI command set): reading the status register
 * acknowledges the interrupt; the alternate status register (control
 * block) does not.  Non-data commands (FLUSH CACHE, SET FEATURES) raise
 * one interrupt at completion.
 *
 * Concurrency.  Each channel has a lock that the issuing thread holds for
 * a whole command (and, for DMA, while it fills the channel's PRD table),
 * so a channel runs one command at a time.  The thread arms the channel
 * (expecting = true) before the action that will cause the next
 * interrupt, then sleeps on the channel's semaphore with a deadline; the
 * IRQ handler reads and clears the bus-master status, reads the status
 * register and, if armed, records both, disarms and ups the semaphore.
 * A wait that reaches its deadline fails the command, and the channel is
 * reset.
 *
 * When a command is issued with interrupts off (a power-off path) the
 * driver polls instead of sleeping: the status register for PIO, the
 * bus-master interrupt bit for DMA.  Probing always polls, with the
 * channel's interrupts disabled (nIEN = 1). */
#include "kernel/cmdline.h"
#include "kernel/dev/ata.h"
#include "kernel/dev/ata_internal.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/string.h"
#include "kernel/timer.h"

static volatile bool lose_next_interrupt;   /* see ata_lose_next_interrupt */

struct channel ata_channels[2] = {
    { .name = "ide0", .base = 0x1F0, .ctl = 0x3F6, .irq = 14 },
    { .name = "ide1", .base = 0x170, .ctl = 0x376, .irq = 15 },
};

/* The smaller of A and B.  Any context. */
uint64_t ata_min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Read the alternate status: no side effect.  Any context. */
uint8_t channel_alt_status(struct channel *c)
{
    return inb(c->ctl);
}

/* Wait at least 400 ns, the time the status register may lag behind a
 * device selection or a command.  Any context. */
void channel_delay400(struct channel *c)
{
    for (int i = 0; i < 5; i++)
        channel_alt_status(c);
}

/* The command timeout (see ata.h). */
unsigned ata_timeout_ms(void)
{
    return (unsigned)kernel_options.ata_timeout_ms;
}

/* The timer tick MS milliseconds from now (rounded up, plus one so that a
 * partial tick never counts).  Any context. */
int64_t ata_deadline_after(unsigned ms)
{
    return timer_ticks() + (int64_t)ms * TIMER_FREQ / 1000 + 1;
}

/* Spin until BSY clears or MS milliseconds pass.  Stores the last status
 * in *STATUS; returns false on timeout.  The deadline uses the timer when
 * it ticks and an iteration bound when it does not (interrupts off).
 * Caller holds the channel lock or is probing. */
bool channel_wait_not_busy(struct channel *c, unsigned ms, uint8_t *status)
{
    int64_t deadline = ata_deadline_after(ms);
    uint64_t spins = (uint64_t)ms * 4000;
    uint8_t st;
    for (;;) {
        st = channel_alt_status(c);
        if (!(st & STA_BSY))
            break;
        if (timer_ticks() > deadline || spins-- == 0) {
            *status = st;
            return false;
        }
    }
    *status = st;
    return true;
}

/* Select device DEV of channel C, with HEAD as the low nibble of the
 * device register (LBA bits 24..27 for LBA28).  Caller holds the lock or
 * is probing. */
void channel_select(struct channel *c, int dev, uint8_t head)
{
    outb(c->base + REG_DEVICE, DEV_BASE | DEV_LBA | (dev << 4) | (head & 0x0F));
    channel_delay400(c);
}

/* Prepare for the interrupt that the next action will cause: drop stale
 * semaphore counts and channel_arm the handler, unless POLL.  Lock held. */
void channel_arm(struct channel *c, bool poll)
{
    while (sema_try_down(&c->done))
        continue;
    c->expecting = !poll;
}

/* Sleep until the armed interrupt arrives or ata_timeout_ms() passes; false
 * on timeout (the channel is disarmed).  Lock held, interrupts on. */
bool channel_wait_interrupt(struct channel *c)
{
    if (sema_down_until(&c->done, ata_deadline_after(ata_timeout_ms())))
        return true;
    c->expecting = false;
    return false;
}

/* Wait for the device to finish its current PIO step: sleep until the
 * interrupt unless POLL, then poll until BSY clears.  Returns the status,
 * or a status with STA_ERR and STA_BSY both set on timeout.  When polling,
 * reads the status register to acknowledge the interrupt.  Lock held. */
uint8_t channel_wait_step(struct channel *c, bool poll)
{
    uint8_t st;
    if (!poll && !channel_wait_interrupt(c))
        return STA_BSY | STA_ERR;
    channel_delay400(c);
    if (!channel_wait_not_busy(c, ata_timeout_ms(), &st)) {
        c->expecting = false;
        return STA_BSY | STA_ERR;
    }
    if (poll)
        st = inb(c->base + REG_STATUS);
    return st;
}

/* The interrupt handler: clear the bus-master interrupt and error bits,
 * acknowledge the device, and wake the issuing thread if it armed the
 * channel.  Interrupt context, interrupts off. */
static void channel_interrupt(struct channel *c)
{
    uint8_t bm = 0;
    if (c->bm) {
        bm = inb(c->bm + BM_STATUS);
        if (bm & (BM_STA_INT | BM_STA_ERR))
            outb(c->bm + BM_STATUS, bm);
    }
    uint8_t st = inb(c->base + REG_STATUS);
    if (c->expecting && lose_next_interrupt) {
        lose_next_interrupt = false;
        return;
    }
    if (c->expecting) {
        c->expecting = false;
        c->irq_status = st;
        c->irq_bm_status = bm;
        sema_up(&c->done);
        intr_yield_on_return();
    }
}

/* Lose the next awaited interrupt (see ata.h).  Any context. */
void ata_lose_next_interrupt(void)
{
    lose_next_interrupt = true;
}

/* IRQ 14 (primary channel).  Interrupt context. */
static void ide0_interrupt(struct intr_frame *f)
{
    (void)f;
    channel_interrupt(&ata_channels[0]);
}

/* IRQ 15 (secondary channel).  Interrupt context. */
static void ide1_interrupt(struct intr_frame *f)
{
    (void)f;
    channel_interrupt(&ata_channels[1]);
}

/* Log an I/O error on D: what failed (COUNT sectors from LBA, or a
 * command without data when COUNT is 0), then
 * either the status and error registers with the error bits named or,
 * when ST has BSY set (the marker of a wait that reached its deadline),
 * that the command never completed; for DMA (BM >= 0) the bus-master
 * status too.  Lock held. */
static void report_error(struct disk *d, const char *what, uint64_t lba, unsigned count,
                         uint8_t st, int bm)
{
    static const struct { uint8_t bit; const char *name; } bits[] = {
        { ERR_ICRC, "ICRC" }, { ERR_UNC, "UNC" }, { ERR_IDNF, "IDNF" },
        { ERR_ABRT, "ABRT" }, { ERR_AMNF, "AMNF" },
    };
    char detail[96], names[32] = "", bmtext[48] = "";
    if (st & STA_BSY) {
        snprintf(detail, sizeof detail, "no completion within %u ms (status now 0x%02x)",
                 ata_timeout_ms(), channel_alt_status(d->ch));
    } else {
        uint8_t err = (st & STA_ERR) ? inb(d->ch->base + REG_ERROR) : 0;
        size_t len = 0;
        for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
            if (err & bits[i].bit)
                len += snprintf(names + len, sizeof names - len, "%s%s", len ? " " : " (",
                                bits[i].name);
        if (len)
            snprintf(names + len, sizeof names - len, ")");
        snprintf(detail, sizeof detail, "status 0x%02x%s, error 0x%02x%s", st,
                 (st & STA_DF) ? " (device fault)" : "", err, names);
    }
    if (bm >= 0)
        snprintf(bmtext, sizeof bmtext, ", bus-master status 0x%02x%s", bm,
                 (bm & BM_STA_ERR) ? " (error)" : "");
    if (count == 0)
        printk("ata: %s: %s failed: %s%s\n", d->name, what, detail, bmtext);
    else
        printk("ata: %s: %s of %u sectors at sector %lu failed: %s%s\n", d->name, what,
               count, (unsigned long)lba, detail, bmtext);
}

/* A command on D failed: log it (see report_error; COUNT 0 for a command
 * that moves no data) and, when it never completed (BSY in ST), reset the
 * channel so the next command finds the devices idle.  Lock held. */
void ata_command_failed(struct disk *d, const char *what, uint64_t lba, unsigned count,
                           uint8_t st, int bm)
{
    report_error(d, what, lba, count, st, bm);
    if (st & STA_BSY)
        channel_reset(d->ch);
}

/* Select D, wait until it is ready, load CMD's LBA and sector count
 * (COUNT 1..256, or 1..65536 with EXT; nothing for a command without
 * data) and write its command byte.  EXT selects the 48-bit register
 * protocol.  Returns false (logged: as "select" for a data command, under
 * the command's own name otherwise) if the device stays busy.  Lock
 * held. */
static bool issue(struct disk *d, const struct ata_command *cmd)
{
    struct channel *c = d->ch;
    bool ext = cmd->ext;
    uint64_t lba = cmd->lba;
    unsigned count = cmd->count;
    uint8_t st;

    channel_select(c, d->dev, ext ? 0 : (uint8_t)(lba >> 24));
    if (!channel_wait_not_busy(c, ata_timeout_ms(), &st)) {
        ata_command_failed(d, count ? "select" : cmd->what, lba, count, st, -1);
        return false;
    }
    if (count == 0) {
        outb(c->base + REG_COMMAND, cmd->op);
        return true;
    }
    if (ext) {
        outb(c->base + REG_NSECT, (uint8_t)(count >> 8));
        outb(c->base + REG_LBA0, (uint8_t)(lba >> 24));
        outb(c->base + REG_LBA1, (uint8_t)(lba >> 32));
        outb(c->base + REG_LBA2, (uint8_t)(lba >> 40));
    }
    outb(c->base + REG_NSECT, (uint8_t)count);
    outb(c->base + REG_LBA0, (uint8_t)lba);
    outb(c->base + REG_LBA1, (uint8_t)(lba >> 8));
    outb(c->base + REG_LBA2, (uint8_t)(lba >> 16));
    outb(c->base + REG_COMMAND, cmd->op);
    return true;
}

/* Whether a command on channel C must poll: the channel's interrupts are
 * disabled, or the CPU's are.  Lock held. */
static bool must_poll(struct channel *c)
{
    return !c->irq_on || intr_get_level() == INTR_OFF;
}

/* See ata_internal.h: the one skeleton of every command that a request
 * runs.  Acquires the channel lock and releases it before returning; may
 * sleep. */
bool ata_run_command(struct disk *d, struct ata_command *cmd)
{
    struct channel *c = d->ch;
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    if (cmd->prepare)
        cmd->prepare(d, cmd, poll);
    if (cmd->count)
        DEBUG(DBG_BLOCK, "ata: %s: %s %u at %lu%s\n", d->name, cmd->what, cmd->count,
              (unsigned long)cmd->lba, cmd->ext ? " (lba48)" : "");
    if (cmd->interrupt_at_issue)
        channel_arm(c, poll);
    bool ok = issue(d, cmd) && cmd->finish(d, cmd, poll);
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* See ata_internal.h.  Probing. */
void channel_enable_interrupts(struct channel *c, int ch)
{
    intr_register_irq(c->irq, ch == 0 ? ide0_interrupt : ide1_interrupt, c->name);
    inb(c->base + REG_STATUS);
    c->irq_on = true;
    outb(c->ctl, 0);
}

/* Whether COUNT sectors at LBA need the 48-bit commands: the range
 * reaches LBA28_LIMIT, or COUNT is more than a 28-bit command moves.  Any
 * context. */
bool ata_need_ext(uint64_t lba, unsigned count)
{
    return lba + count > LBA28_LIMIT || count > MAX_SECTORS_PER_CMD;
}

/* The byte the cursor K points at.  K is not at the end. */
uint8_t *ata_cursor_ptr(const struct cursor *k)
{
    return (uint8_t *)k->iov->buf + k->ofs;
}

/* Bytes left in the piece the cursor K is in.  K is not at the end. */
size_t ata_cursor_piece_left(const struct cursor *k)
{
    return k->iov->count * BLOCK_SECTOR_SIZE - k->ofs;
}

/* Move K on by BYTES (no further than the end of the request). */
void ata_cursor_advance(struct cursor *k, size_t bytes)
{
    while (bytes > 0) {
        size_t left = ata_cursor_piece_left(k);
        if (bytes < left) {
            k->ofs += bytes;
            return;
        }
        bytes -= left;
        k->iov++;
        k->n--;
        k->ofs = 0;
    }
}

/* Reset both devices of channel C (SRST for at least 5 us) and wait for
 * them, leaving the channel's interrupt disabled (nIEN).  Lock held, or
 * probing. */
void channel_soft_reset(struct channel *c)
{
    uint8_t st;
    outb(c->ctl, CTL_NIEN | CTL_SRST);
    for (int i = 0; i < 20; i++)
        channel_delay400(c);
    outb(c->ctl, CTL_NIEN);
    for (int i = 0; i < 20; i++)
        channel_delay400(c);
    channel_select(c, 0, 0);
    if (!channel_wait_not_busy(c, PROBE_TIMEOUT_MS * 3, &st))
        printk("ata: %s: still busy after reset (status 0x%02x)\n", c->name, st);
}

/* Issue the non-data command OP to D with NSECT in the sector count
 * register (and FEATURES in the features register for SET FEATURES),
 * polling for its completion.  False if the device stays busy or refuses
 * it.  Probing, or lock held with the device idle. */
static bool set_polled(struct disk *d, uint8_t features, uint8_t nsect, uint8_t op)
{
    struct channel *c = d->ch;
    uint8_t st;

    channel_select(c, d->dev, 0);
    if (!channel_wait_not_busy(c, PROBE_TIMEOUT_MS, &st))
        return false;
    outb(c->base + REG_FEATURES, features);
    outb(c->base + REG_NSECT, nsect);
    outb(c->base + REG_COMMAND, op);
    channel_delay400(c);
    bool done = channel_wait_not_busy(c, PROBE_TIMEOUT_MS, &st);
    inb(c->base + REG_STATUS);
    return done && !(st & (STA_ERR | STA_DF));
}

/* Give D its DMA transfer mode (SET FEATURES), polling.  False if the
 * device refuses it.  Probing, or lock held with the device idle. */
bool ata_set_xfer_mode(struct disk *d)
{
    return set_polled(d, FEAT_XFER_MODE, d->xfer_mode, CMD_SET_FEATURES);
}

/* See ata_internal.h. */
bool ata_set_multiple(struct disk *d)
{
    return set_polled(d, 0, (uint8_t)d->multiple, CMD_SET_MULTIPLE);
}

/* Bring channel C back to a known state after a command that never
 * completed: stop the engine, reset both devices, and give the DMA disks
 * their transfer mode and every disk its PIO block size again.  Lock held
 * (or probing). */
void channel_reset(struct channel *c)
{
    if (c->bm)
        outb(c->bm + BM_CMD, 0);
    channel_soft_reset(c);
    for (int dev = 0; dev < 2; dev++) {
        struct disk *d = &c->disks[dev];
        if (!d->present)
            continue;
        if (d->dma_ok && !ata_set_xfer_mode(d)) {
            printk("ata: %s: transfer mode lost in the reset; PIO from now on\n", d->name);
            d->dma_ok = d->dma = false;
            d->blk->mode = "pio";
        }
        if (d->multiple && !ata_set_multiple(d)) {
            printk("ata: %s: PIO block size lost in the reset; one sector a block from now on\n",
                   d->name);
            d->multiple = 0;
        }
    }
    inb(c->base + REG_STATUS);
    outb(c->ctl, c->irq_on ? 0 : CTL_NIEN);
}
