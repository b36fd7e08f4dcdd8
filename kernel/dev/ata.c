/* The legacy IDE/ATA disk driver (see ata.h).
 *
 * Protocol facts used here come from the ATA/ATAPI command set:
 *   - PIO data-in (READ SECTORS): after the command, and after each
 *     sector is read out of the data register, the device raises INTRQ
 *     when the next sector is ready (DRQ set).
 *   - PIO data-out (WRITE SECTORS): the first sector is written as soon
 *     as DRQ is set (no interrupt); each written sector is followed by an
 *     interrupt, the last one signalling completion.
 *   - Non-data (FLUSH CACHE): one interrupt at completion.
 *   - Reading the status register acknowledges the interrupt; the
 *     alternate status register (control block) does not.
 *
 * Concurrency.  Each channel has a lock that the issuing thread holds for
 * a whole command, so a channel runs one command at a time.  The thread
 * arms the channel (expecting = true) before the action that will cause
 * the next interrupt, then sleeps on the channel's semaphore; the IRQ
 * handler reads the status register and, if armed, disarms and ups the
 * semaphore.  After waking, the thread re-checks the status by polling,
 * so a stray interrupt can never make it transfer data early.
 *
 * When a command is issued with interrupts off (a power-off path) the
 * driver polls instead of sleeping.  Probing always polls, with the
 * channel's interrupts disabled (nIEN = 1). */
#include "kernel/dev/ata.h"
#include "kernel/dev/block.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/timer.h"

/* Command block registers: offsets from the channel's base port. */
#define REG_DATA 0
#define REG_ERROR 1       /* read */
#define REG_NSECT 2
#define REG_LBA0 3
#define REG_LBA1 4
#define REG_LBA2 5
#define REG_DEVICE 6
#define REG_STATUS 7      /* read: acknowledges the interrupt */
#define REG_COMMAND 7     /* write */

/* Status bits. */
#define STA_BSY 0x80
#define STA_DRDY 0x40
#define STA_DF 0x20
#define STA_DRQ 0x08
#define STA_ERR 0x01

/* Device control register bits (written to the control port). */
#define CTL_NIEN 0x02     /* 1: the device does not raise INTRQ */
#define CTL_SRST 0x04     /* software reset of both devices */

/* Device register: bits 7 and 5 are obsolete and set by convention. */
#define DEV_BASE 0xA0
#define DEV_LBA 0x40

#define CMD_READ_SECTORS 0x20
#define CMD_READ_SECTORS_EXT 0x24
#define CMD_WRITE_SECTORS 0x30
#define CMD_WRITE_SECTORS_EXT 0x34
#define CMD_FLUSH_CACHE 0xE7
#define CMD_FLUSH_CACHE_EXT 0xEA
#define CMD_IDENTIFY 0xEC

#define SECTOR_WORDS (BLOCK_SECTOR_SIZE / 2)
#define MAX_SECTORS_PER_CMD 256       /* LBA28 count 0 means 256 */
#define LBA28_LIMIT 0x0FFFFFFFULL     /* first sector LBA28 cannot address */
#define IO_TIMEOUT_MS 5000
#define PROBE_TIMEOUT_MS 1000

struct channel;

struct disk {
    struct channel *ch;
    int dev;                   /* 0 master, 1 slave */
    bool lba48;                /* device supports 48-bit addressing */
    uint64_t sectors;
    char name[8];              /* "hd0:1" */
    char model[41];
};

struct channel {
    const char *name;
    uint16_t base;             /* command block */
    uint16_t ctl;              /* control block: alt status / device control */
    int irq;
    bool irq_on;               /* nIEN cleared: the device interrupts */
    struct lock lock;          /* held for a whole command */
    struct semaphore done;     /* upped by the handler when armed */
    volatile bool expecting;   /* armed: the next interrupt is ours */
    volatile uint8_t irq_status;
    struct disk disks[2];
};

static struct channel channels[2] = {
    { .name = "ide0", .base = 0x1F0, .ctl = 0x3F6, .irq = 14 },
    { .name = "ide1", .base = 0x170, .ctl = 0x376, .irq = 15 },
};

static bool ata_read(void *aux, block_sector_t sector, void *buf, size_t count);
static bool ata_write(void *aux, block_sector_t sector, const void *buf, size_t count);
static bool ata_flush(void *aux);

static const struct block_ops ata_ops = { ata_read, ata_write, ata_flush };

/* Read the alternate status: no side effect.  Any context. */
static uint8_t alt_status(struct channel *c)
{
    return inb(c->ctl);
}

/* Wait at least 400 ns, the time the status register may lag behind a
 * device selection or a command.  Any context. */
static void delay400(struct channel *c)
{
    for (int i = 0; i < 5; i++)
        alt_status(c);
}

/* Spin until BSY clears or MS milliseconds pass.  Stores the last status
 * in *STATUS; returns false on timeout.  The deadline uses the timer when
 * it ticks and an iteration bound when it does not (interrupts off).
 * Caller holds the channel lock or is probing. */
static bool wait_not_busy(struct channel *c, unsigned ms, uint8_t *status)
{
    int64_t deadline = timer_ticks() + (int64_t)ms * TIMER_FREQ / 1000 + 1;
    uint64_t spins = (uint64_t)ms * 4000;
    uint8_t st;
    for (;;) {
        st = alt_status(c);
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
static void select_device(struct channel *c, int dev, uint8_t head)
{
    outb(c->base + REG_DEVICE, DEV_BASE | DEV_LBA | (dev << 4) | (head & 0x0F));
    delay400(c);
}

/* Prepare for the interrupt that the next action will cause: drop stale
 * semaphore counts and arm the handler, unless POLL.  Lock held. */
static void arm(struct channel *c, bool poll)
{
    while (sema_try_down(&c->done))
        continue;
    c->expecting = !poll;
}

/* Wait for the device to finish its current step: sleep until the
 * interrupt unless POLL, then poll until BSY clears.  Returns the status,
 * or a status with STA_ERR and STA_BSY both set on timeout.  When polling,
 * reads the status register to acknowledge the interrupt.  Lock held. */
static uint8_t wait_step(struct channel *c, bool poll)
{
    uint8_t st;
    if (!poll)
        sema_down(&c->done);
    delay400(c);
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st)) {
        c->expecting = false;
        return STA_BSY | STA_ERR;
    }
    if (poll)
        st = inb(c->base + REG_STATUS);
    return st;
}

/* The interrupt handler: acknowledge, and wake the issuing thread if it
 * armed the channel.  Interrupt context, interrupts off. */
static void channel_interrupt(struct channel *c)
{
    uint8_t st = inb(c->base + REG_STATUS);
    if (c->expecting) {
        c->expecting = false;
        c->irq_status = st;
        sema_up(&c->done);
        intr_yield_on_return();
    }
}

/* IRQ 14 (primary channel).  Interrupt context. */
static void ide0_interrupt(struct intr_frame *f)
{
    (void)f;
    channel_interrupt(&channels[0]);
}

/* IRQ 15 (secondary channel).  Interrupt context. */
static void ide1_interrupt(struct intr_frame *f)
{
    (void)f;
    channel_interrupt(&channels[1]);
}

/* Log an I/O error on D: what failed, where, and the registers.  Lock
 * held. */
static void report_error(struct disk *d, const char *what, uint64_t lba, uint8_t st)
{
    uint8_t err = inb(d->ch->base + REG_ERROR);
    printk("ata: %s: %s failed at sector %lu: status 0x%02x error 0x%02x%s\n",
           d->name, what, (unsigned long)lba, st, err,
           (st & STA_BSY) ? " (timeout)" : "");
}

/* Select D, wait until it is ready, load the LBA and sector count (COUNT
 * 1..256) and write command CMD.  EXT selects the 48-bit register
 * protocol.  Returns false (logged) if the device stays busy.  Lock held. */
static bool issue(struct disk *d, bool ext, uint64_t lba, unsigned count, uint8_t cmd)
{
    struct channel *c = d->ch;
    uint8_t st;

    select_device(c, d->dev, ext ? 0 : (uint8_t)(lba >> 24));
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st)) {
        report_error(d, "select", lba, st);
        return false;
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
    outb(c->base + REG_COMMAND, cmd);
    return true;
}

/* Whether a command on channel C must poll: the channel's interrupts are
 * disabled, or the CPU's are.  Lock held. */
static bool must_poll(struct channel *c)
{
    return !c->irq_on || intr_get_level() == INTR_OFF;
}

/* Whether sectors [LBA, LBA + COUNT) need the 48-bit commands.  Any
 * context. */
static bool need_ext(uint64_t lba, unsigned count)
{
    return lba + count > LBA28_LIMIT;
}

/* Read COUNT (1..256) sectors at LBA into BUF with one READ SECTORS
 * command.  Returns false on error (logged).  Acquires the channel lock. */
static bool read_chunk(struct disk *d, uint64_t lba, uint8_t *buf, unsigned count)
{
    struct channel *c = d->ch;
    bool ext = need_ext(lba, count);
    bool ok = false;
    uint8_t st = 0;

    DEBUG(DBG_BLOCK, "ata: %s: read %u at %lu%s\n", d->name, count, (unsigned long)lba,
          ext ? " (lba48)" : "");
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    arm(c, poll);
    if (!issue(d, ext, lba, count, ext ? CMD_READ_SECTORS_EXT : CMD_READ_SECTORS))
        goto out;
    for (unsigned i = 0; i < count; i++) {
        st = wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || !(st & STA_DRQ)) {
            report_error(d, "read", lba + i, st);
            goto out;
        }
        if (i + 1 < count)
            arm(c, poll);     /* the next sector's interrupt follows insw */
        insw(c->base + REG_DATA, buf + (size_t)i * BLOCK_SECTOR_SIZE, SECTOR_WORDS);
    }
    delay400(c);
    st = alt_status(c);
    if (st & (STA_ERR | STA_DF)) {
        report_error(d, "read", lba, st);
        goto out;
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* Write COUNT (1..256) sectors from BUF at LBA with one WRITE SECTORS
 * command.  Returns false on error (logged).  Acquires the channel lock. */
static bool write_chunk(struct disk *d, uint64_t lba, const uint8_t *buf, unsigned count)
{
    struct channel *c = d->ch;
    bool ext = need_ext(lba, count);
    bool ok = false;
    uint8_t st;

    DEBUG(DBG_BLOCK, "ata: %s: write %u at %lu%s\n", d->name, count, (unsigned long)lba,
          ext ? " (lba48)" : "");
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    if (!issue(d, ext, lba, count, ext ? CMD_WRITE_SECTORS_EXT : CMD_WRITE_SECTORS))
        goto out;
    /* The first sector goes out as soon as DRQ is set: no interrupt. */
    delay400(c);
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st) || (st & (STA_ERR | STA_DF))
        || !(st & STA_DRQ)) {
        report_error(d, "write", lba, st);
        goto out;
    }
    for (unsigned i = 0; i < count; i++) {
        arm(c, poll);
        outsw(c->base + REG_DATA, buf + (size_t)i * BLOCK_SECTOR_SIZE, SECTOR_WORDS);
        st = wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || (i + 1 < count && !(st & STA_DRQ))) {
            report_error(d, "write", lba + i, st);
            goto out;
        }
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* Move COUNT sectors at SECTOR to (WRITE) or from BUF, in commands of
 * at most 256 sectors.  The block layer has checked the range.  May
 * sleep.  BUF is only read when WRITE. */
static bool transfer(struct disk *d, block_sector_t sector, uint8_t *buf, size_t count,
                     bool write)
{
    ASSERT(!intr_context());
    while (count > 0) {
        unsigned n = count > MAX_SECTORS_PER_CMD ? MAX_SECTORS_PER_CMD : (unsigned)count;
        if (!(write ? write_chunk(d, sector, buf, n) : read_chunk(d, sector, buf, n)))
            return false;
        sector += n;
        buf += (size_t)n * BLOCK_SECTOR_SIZE;
        count -= n;
    }
    return true;
}

/* Block-layer read. */
static bool ata_read(void *aux, block_sector_t sector, void *buf, size_t count)
{
    return transfer(aux, sector, buf, count, false);
}

/* Block-layer write. */
static bool ata_write(void *aux, block_sector_t sector, const void *buf, size_t count)
{
    return transfer(aux, sector, (uint8_t *)buf, count, true);
}

/* Block-layer flush: FLUSH CACHE (EXT on 48-bit devices).  Returns false
 * on error (logged).  Acquires the channel lock; may sleep. */
static bool ata_flush(void *aux)
{
    struct disk *d = aux;
    struct channel *c = d->ch;
    bool ok = false;
    uint8_t st;

    ASSERT(!intr_context());
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    arm(c, poll);
    select_device(c, d->dev, 0);
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st)) {
        report_error(d, "flush", 0, st);
        goto out;
    }
    outb(c->base + REG_COMMAND, d->lba48 ? CMD_FLUSH_CACHE_EXT : CMD_FLUSH_CACHE);
    st = wait_step(c, poll);
    if (st & (STA_ERR | STA_DF)) {
        report_error(d, "flush", 0, st);
        goto out;
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* Copy the IDENTIFY string of words FIRST..FIRST+NWORDS-1 into OUT (size
 * 2 * NWORDS + 1): each word holds two characters, high byte first.
 * Trailing spaces are trimmed and unprintable bytes become '?'.  Any
 * context. */
static void identify_string(const uint16_t *id, int first, int nwords, char *out)
{
    int n = 0;
    for (int i = 0; i < nwords; i++) {
        out[n++] = (char)(id[first + i] >> 8);
        out[n++] = (char)(id[first + i] & 0xFF);
    }
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        out[--n] = '\0';
    for (int i = 0; i < n; i++)
        if (out[i] < 0x20 || out[i] > 0x7E)
            out[i] = '?';
}

/* Which role the contract gives the disk at channel CH, device DEV.  Any
 * context. */
static enum block_role role_of(int ch, int dev)
{
    if (ch == 0)
        return dev == 0 ? BLOCK_PAYLOAD : BLOCK_SWAP;
    return BLOCK_OTHER;
}

/* Probe device DEV of channel C (polling, nIEN set) and register it if it
 * is an ATA disk.  Logs what it finds except plain absence.  Returns true
 * when a disk was registered. */
static bool probe_device(struct channel *c, int ch, int dev)
{
    struct disk *d = &c->disks[dev];
    uint16_t id[256];
    uint8_t st;

    snprintf(d->name, sizeof d->name, "hd%d:%d", ch, dev);
    select_device(c, dev, 0);
    st = alt_status(c);
    if (st == 0xFF)
        return false;                          /* floating bus */
    uint8_t mid = inb(c->base + REG_LBA1), high = inb(c->base + REG_LBA2);
    if ((mid == 0x14 && high == 0xEB) || (mid == 0x69 && high == 0x96)) {
        printk("ata: %s: ATAPI device, skipped\n", d->name);
        return false;
    }
    if (st == 0)
        return false;                          /* no device answers */
    if (!wait_not_busy(c, PROBE_TIMEOUT_MS, &st)) {
        printk("ata: %s: stays busy (status 0x%02x), skipped\n", d->name, st);
        return false;
    }

    outb(c->base + REG_NSECT, 0);
    outb(c->base + REG_LBA0, 0);
    outb(c->base + REG_LBA1, 0);
    outb(c->base + REG_LBA2, 0);
    outb(c->base + REG_COMMAND, CMD_IDENTIFY);
    delay400(c);
    if (alt_status(c) == 0)
        return false;
    if (!wait_not_busy(c, PROBE_TIMEOUT_MS, &st)) {
        printk("ata: %s: IDENTIFY timed out, skipped\n", d->name);
        return false;
    }
    mid = inb(c->base + REG_LBA1);
    high = inb(c->base + REG_LBA2);
    if (mid != 0 || high != 0) {
        printk("ata: %s: not an ATA disk (signature %02x%02x), skipped\n",
               d->name, high, mid);
        inb(c->base + REG_STATUS);
        return false;
    }
    if ((st & (STA_ERR | STA_DF)) || !(st & STA_DRQ)) {
        printk("ata: %s: IDENTIFY failed (status 0x%02x), skipped\n", d->name, st);
        inb(c->base + REG_STATUS);
        return false;
    }
    insw(c->base + REG_DATA, id, 256);
    inb(c->base + REG_STATUS);

    if (id[0] & 0x8000) {
        printk("ata: %s: not an ATA device, skipped\n", d->name);
        return false;
    }
    if (!(id[49] & 0x0200)) {
        printk("ata: %s: no LBA support, skipped\n", d->name);
        return false;
    }
    uint64_t lba28 = id[60] | ((uint64_t)id[61] << 16);
    uint64_t lba48 = id[100] | ((uint64_t)id[101] << 16) | ((uint64_t)id[102] << 32)
                     | ((uint64_t)id[103] << 48);
    d->lba48 = (id[83] & 0x0400) != 0;
    d->sectors = (d->lba48 && lba48 > lba28) ? lba48 : lba28;
    if (!d->lba48 && d->sectors > LBA28_LIMIT)
        d->sectors = LBA28_LIMIT;
    identify_string(id, 27, 20, d->model);
    d->ch = c;
    d->dev = dev;
    if (d->sectors == 0) {
        printk("ata: %s: reports no sectors, skipped\n", d->name);
        return false;
    }
    if (!block_register(d->name, d->model, role_of(ch, dev), d->sectors, &ata_ops, d)) {
        printk("ata: %s: out of memory, skipped\n", d->name);
        return false;
    }
    return true;
}

/* Reset channel C and probe both its devices; enable its interrupt when
 * it has a disk.  Called from ata_init only. */
static void probe_channel(struct channel *c, int ch)
{
    uint8_t st;
    bool any = false;

    lock_init(&c->lock);
    sema_init(&c->done, 0);
    outb(c->ctl, CTL_NIEN);
    if (inb(c->base + REG_STATUS) == 0xFF && alt_status(c) == 0xFF)
        return;                                /* floating bus: no devices */

    /* Software reset: SRST for at least 5 us, then wait for the devices. */
    outb(c->ctl, CTL_NIEN | CTL_SRST);
    for (int i = 0; i < 20; i++)
        delay400(c);
    outb(c->ctl, CTL_NIEN);
    for (int i = 0; i < 20; i++)
        delay400(c);
    select_device(c, 0, 0);
    if (!wait_not_busy(c, PROBE_TIMEOUT_MS * 3, &st))
        printk("ata: %s: still busy after reset (status 0x%02x)\n", c->name, st);

    for (int dev = 0; dev < 2; dev++)
        if (probe_device(c, ch, dev))
            any = true;
    if (any) {
        intr_register_irq(c->irq, ch == 0 ? ide0_interrupt : ide1_interrupt, c->name);
        inb(c->base + REG_STATUS);
        c->irq_on = true;
        outb(c->ctl, 0);
    }
}

/* Probe both channels (see ata.h). */
void ata_init(void)
{
    for (int ch = 0; ch < 2; ch++)
        probe_channel(&channels[ch], ch);
}
