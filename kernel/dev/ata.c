/* The legacy IDE/ATA disk driver (see ata.h).
 *
 * Protocol facts used here come from the ATA/ATAPI command set and the
 * PCI IDE bus-master programming interface (the one of Intel's PIIX):
 *   - PIO data-in (READ SECTORS): after the command, and after each
 *     sector is read out of the data register, the device raises INTRQ
 *     when the next sector is ready (DRQ set).
 *   - PIO data-out (WRITE SECTORS): the first sector is written as soon
 *     as DRQ is set (no interrupt); each written sector is followed by an
 *     interrupt, the last one signalling completion.
 *   - DMA (READ DMA / WRITE DMA, and the EXT forms): the host loads the
 *     channel's bus-master engine with the physical address of a table of
 *     physical region descriptors (PRDs: address, byte count up to 64 KiB,
 *     no region crossing a 64 KiB boundary, the last one flagged), sets
 *     the direction, issues the command and sets the engine's start bit;
 *     the device and the engine move every sector of the command, then
 *     the device raises INTRQ once.  The engine's status has an error bit
 *     and an interrupt bit (both cleared by writing 1).
 *   - Non-data (FLUSH CACHE, SET FEATURES): one interrupt at completion.
 *   - Reading the status register acknowledges the interrupt; the
 *     alternate status register (control block) does not.
 *
 * Concurrency.  Each channel has a lock that the issuing thread holds for
 * a whole command (and, for DMA, while it fills the channel's PRD table),
 * so a channel runs one command at a time.  The thread arms the channel
 * (expecting = true) before the action that will cause the next
 * interrupt, then sleeps on the channel's semaphore with a deadline; the
 * IRQ handler reads and clears the bus-master status, reads the status
 * register and, if armed, records both, disarms and ups the semaphore.
 * After a PIO wake-up the thread re-checks the status by polling, so a
 * stray interrupt can never make it transfer data early.  A wait that
 * reaches its deadline fails the command, and the channel is reset.
 *
 * When a command is issued with interrupts off (a power-off path) the
 * driver polls instead of sleeping: the status register for PIO, the
 * bus-master interrupt bit for DMA (the device keeps BSY clear while the
 * engine moves data).  Probing always polls, with the channel's
 * interrupts disabled (nIEN = 1). */
#include "kernel/dev/ata.h"
#include "kernel/dev/block.h"
#include "kernel/dev/pci.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/timer.h"
#include "kernel/layout.h"
#include "kernel/palloc.h"

/* Command block registers: offsets from the channel's base port. */
#define REG_DATA 0
#define REG_ERROR 1       /* read */
#define REG_FEATURES 1    /* write */
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

/* Error register bits, for the log. */
#define ERR_ICRC 0x80     /* interface CRC error */
#define ERR_UNC 0x40      /* uncorrectable data */
#define ERR_IDNF 0x10     /* sector not found */
#define ERR_ABRT 0x04     /* command aborted */
#define ERR_AMNF 0x01     /* address mark not found */

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
#define CMD_READ_DMA 0xC8
#define CMD_READ_DMA_EXT 0x25
#define CMD_WRITE_DMA 0xCA
#define CMD_WRITE_DMA_EXT 0x35
#define CMD_FLUSH_CACHE 0xE7
#define CMD_FLUSH_CACHE_EXT 0xEA
#define CMD_IDENTIFY 0xEC
#define CMD_SET_FEATURES 0xEF
#define FEAT_XFER_MODE 0x03           /* sector count: the transfer mode */
#define XFER_MWDMA 0x20               /* | mode number: multiword DMA */

/* IDENTIFY DEVICE words. */
#define ID_CAPS 49                    /* bit 9 LBA, bit 8 DMA */
#define ID_MWDMA 63                   /* bits 0..2: multiword DMA modes */

/* Bus-master IDE registers: offsets from a channel's bus-master base
 * (BAR4 of the controller, plus 8 for the secondary channel). */
#define BM_CMD 0
#define BM_STATUS 2
#define BM_PRDT 4                     /* 32 bits: the PRD table's address */
#define BM_CMD_START 0x01
#define BM_CMD_TO_MEMORY 0x08         /* direction: device to memory (a read) */
#define BM_STA_ACTIVE 0x01
#define BM_STA_ERR 0x02               /* write 1 to clear */
#define BM_STA_INT 0x04               /* write 1 to clear */
#define BM_STA_CAPABLE(dev) (0x20 << (dev))

#define PCI_CLASS_STORAGE 0x01
#define PCI_SUBCLASS_IDE 0x01
#define PROG_IF_NATIVE 0x05           /* either channel in PCI native mode */
#define PROG_IF_BUS_MASTER 0x80
#define BAR_IO 0x1                    /* the BAR is in I/O space */
#define BAR4 (PCI_BAR0 + 16)

/* A physical region descriptor: BYTES 0 means 64 KiB. */
struct prd {
    uint32_t addr;
    uint16_t bytes;
    uint16_t flags;
};
#define PRD_LAST 0x8000
#define PRD_REGION 0x10000ULL         /* max bytes, and the boundary not crossed */
#define PRDT_ENTRIES (PGSIZE / sizeof(struct prd))
#define DMA_LIMIT 0x100000000ULL      /* PRD addresses are 32 bits */

#define SECTOR_WORDS (BLOCK_SECTOR_SIZE / 2)
#define MAX_SECTORS_PER_CMD 256       /* LBA28 count 0 means 256 */
#define MAX_SECTORS_PER_EXT 65536     /* LBA48 count 0 means 65536 */
#define LBA28_LIMIT 0x0FFFFFFFULL     /* first sector LBA28 cannot address */
#define IO_TIMEOUT_MS 5000
#define PROBE_TIMEOUT_MS 1000

struct channel;

struct disk {
    struct channel *ch;
    int dev;                   /* 0 master, 1 slave */
    bool present;              /* registered with the block layer */
    bool lba48;                /* device supports 48-bit addressing */
    bool dma_ok;               /* DMA set up: mode accepted, PRD table */
    volatile bool dma;         /* transfers by DMA now (dma_ok and not turned off) */
    uint8_t xfer_mode;         /* the SET FEATURES transfer mode chosen */
    struct block *blk;         /* what the block layer knows it as */
    uint64_t sectors;
    char name[8];              /* "hd0:1" */
    char model[41];
};

struct channel {
    const char *name;
    uint16_t base;             /* command block */
    uint16_t ctl;              /* control block: alt status / device control */
    uint16_t bm;               /* bus-master registers, 0 when none */
    int irq;
    bool irq_on;               /* nIEN cleared: the device interrupts */
    struct prd *prdt;          /* the PRD table (one page), with bm */
    struct lock lock;          /* held for a whole command */
    struct semaphore done;     /* upped by the handler when armed */
    volatile bool expecting;   /* armed: the next interrupt is ours */
    volatile uint8_t irq_status;
    volatile uint8_t irq_bm_status;
    struct disk disks[2];
};

/* Where the next byte of a request goes or comes from: piece IOV[0] (N
 * pieces left) at byte OFS. */
struct cursor {
    const struct block_iov *iov;
    size_t n;
    size_t ofs;
};

static volatile bool lose_next_interrupt;   /* see ata_lose_next_interrupt */

static struct channel channels[2] = {
    { .name = "ide0", .base = 0x1F0, .ctl = 0x3F6, .irq = 14 },
    { .name = "ide1", .base = 0x170, .ctl = 0x376, .irq = 15 },
};

static bool ata_transfer(void *aux, block_sector_t sector, const struct block_iov *iov,
                         size_t n, bool write);
static bool ata_flush(void *aux);
static bool ata_set_dma(void *aux, bool on);

static const struct block_ops ata_ops = { ata_transfer, ata_flush, ata_set_dma };

/* Keep the compiler from moving memory accesses across the point where
 * the device starts or has finished reading or writing memory.  Any
 * context. */
static inline void dma_barrier(void)
{
    __asm__ volatile("" : : : "memory");
}

/* The smaller of A and B.  Any context. */
static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

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

/* The timer tick MS milliseconds from now (rounded up, plus one so that a
 * partial tick never counts).  Any context. */
static int64_t deadline_after(unsigned ms)
{
    return timer_ticks() + (int64_t)ms * TIMER_FREQ / 1000 + 1;
}

/* Spin until BSY clears or MS milliseconds pass.  Stores the last status
 * in *STATUS; returns false on timeout.  The deadline uses the timer when
 * it ticks and an iteration bound when it does not (interrupts off).
 * Caller holds the channel lock or is probing. */
static bool wait_not_busy(struct channel *c, unsigned ms, uint8_t *status)
{
    int64_t deadline = deadline_after(ms);
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

/* Sleep until the armed interrupt arrives or IO_TIMEOUT_MS pass; false
 * on timeout (the channel is disarmed).  Lock held, interrupts on. */
static bool wait_interrupt(struct channel *c)
{
    if (sema_down_until(&c->done, deadline_after(IO_TIMEOUT_MS)))
        return true;
    c->expecting = false;
    return false;
}

/* Wait for the device to finish its current PIO step: sleep until the
 * interrupt unless POLL, then poll until BSY clears.  Returns the status,
 * or a status with STA_ERR and STA_BSY both set on timeout.  When polling,
 * reads the status register to acknowledge the interrupt.  Lock held. */
static uint8_t wait_step(struct channel *c, bool poll)
{
    uint8_t st;
    if (!poll && !wait_interrupt(c))
        return STA_BSY | STA_ERR;
    delay400(c);
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st)) {
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
    channel_interrupt(&channels[0]);
}

/* IRQ 15 (secondary channel).  Interrupt context. */
static void ide1_interrupt(struct intr_frame *f)
{
    (void)f;
    channel_interrupt(&channels[1]);
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
        snprintf(detail, sizeof detail, "no completion within %d ms (status now 0x%02x)",
                 IO_TIMEOUT_MS, alt_status(d->ch));
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

static void reset_channel(struct channel *c);

/* A command on D failed: log it (see report_error; COUNT 0 for a command
 * that moves no data) and, when it never completed (BSY in ST), reset the
 * channel so the next command finds the devices idle.  Lock held. */
static void command_failed(struct disk *d, const char *what, uint64_t lba, unsigned count,
                           uint8_t st, int bm)
{
    report_error(d, what, lba, count, st, bm);
    if (st & STA_BSY)
        reset_channel(d->ch);
}

/* Select D, wait until it is ready, load the LBA and sector count (COUNT
 * 1..256, or 1..65536 with EXT) and write command CMD.  EXT selects the
 * 48-bit register protocol.  Returns false (logged) if the device stays
 * busy.  Lock held. */
static bool issue(struct disk *d, bool ext, uint64_t lba, unsigned count, uint8_t cmd)
{
    struct channel *c = d->ch;
    uint8_t st;

    select_device(c, d->dev, ext ? 0 : (uint8_t)(lba >> 24));
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st)) {
        command_failed(d, "select", lba, count, st, -1);
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

/* Whether COUNT sectors at LBA need the 48-bit commands: the range
 * reaches LBA28_LIMIT, or COUNT is more than a 28-bit command moves.  Any
 * context. */
static bool need_ext(uint64_t lba, unsigned count)
{
    return lba + count > LBA28_LIMIT || count > MAX_SECTORS_PER_CMD;
}

/* ---- requests: a cursor over the pieces ---- */

/* The byte the cursor K points at.  K is not at the end. */
static uint8_t *cursor_ptr(const struct cursor *k)
{
    return (uint8_t *)k->iov->buf + k->ofs;
}

/* Bytes left in the piece the cursor K is in.  K is not at the end. */
static size_t cursor_piece_left(const struct cursor *k)
{
    return k->iov->count * BLOCK_SECTOR_SIZE - k->ofs;
}

/* Move K on by BYTES (no further than the end of the request). */
static void cursor_advance(struct cursor *k, size_t bytes)
{
    while (bytes > 0) {
        size_t left = cursor_piece_left(k);
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

/* ---- programmed I/O ---- */

/* Read COUNT (1..256) sectors at LBA into the memory at K with one READ
 * SECTORS command, moving K on.  Returns false on error (logged).
 * Acquires the channel lock. */
static bool pio_read(struct disk *d, uint64_t lba, struct cursor *k, unsigned count)
{
    struct channel *c = d->ch;
    bool ext = need_ext(lba, count);
    bool ok = false;
    uint8_t st = 0;

    DEBUG(DBG_BLOCK, "ata: %s: PIO read %u at %lu%s\n", d->name, count, (unsigned long)lba,
          ext ? " (lba48)" : "");
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    arm(c, poll);
    if (!issue(d, ext, lba, count, ext ? CMD_READ_SECTORS_EXT : CMD_READ_SECTORS))
        goto out;
    for (unsigned i = 0; i < count; i++) {
        st = wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || !(st & STA_DRQ)) {
            command_failed(d, "PIO read", lba + i, count - i, st, -1);
            goto out;
        }
        if (i + 1 < count)
            arm(c, poll);     /* the next sector's interrupt follows insw */
        insw(c->base + REG_DATA, cursor_ptr(k), SECTOR_WORDS);
        cursor_advance(k, BLOCK_SECTOR_SIZE);
    }
    delay400(c);
    st = alt_status(c);
    if (st & (STA_ERR | STA_DF)) {
        command_failed(d, "PIO read", lba, count, st, -1);
        goto out;
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* Write COUNT (1..256) sectors from the memory at K at LBA with one WRITE
 * SECTORS command, moving K on.  Returns false on error (logged).
 * Acquires the channel lock. */
static bool pio_write(struct disk *d, uint64_t lba, struct cursor *k, unsigned count)
{
    struct channel *c = d->ch;
    bool ext = need_ext(lba, count);
    bool ok = false;
    uint8_t st;

    DEBUG(DBG_BLOCK, "ata: %s: PIO write %u at %lu%s\n", d->name, count, (unsigned long)lba,
          ext ? " (lba48)" : "");
    lock_acquire(&c->lock);
    bool poll = must_poll(c);
    if (!issue(d, ext, lba, count, ext ? CMD_WRITE_SECTORS_EXT : CMD_WRITE_SECTORS))
        goto out;
    /* The first sector goes out as soon as DRQ is set: no interrupt. */
    delay400(c);
    if (!wait_not_busy(c, IO_TIMEOUT_MS, &st) || (st & (STA_ERR | STA_DF))
        || !(st & STA_DRQ)) {
        command_failed(d, "PIO write", lba, count, st, -1);
        goto out;
    }
    for (unsigned i = 0; i < count; i++) {
        arm(c, poll);
        outsw(c->base + REG_DATA, cursor_ptr(k), SECTOR_WORDS);
        cursor_advance(k, BLOCK_SECTOR_SIZE);
        st = wait_step(c, poll);
        if ((st & (STA_ERR | STA_DF)) || (i + 1 < count && !(st & STA_DRQ))) {
            command_failed(d, "PIO write", lba + i, count - i, st, -1);
            goto out;
        }
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* ---- bus-master DMA ---- */

/* Whether the bus-master engine can reach every piece of IOV (N pieces):
 * kernel memory below 4 GiB at an even address.  Any context. */
static bool dma_reachable(const struct block_iov *iov, size_t n)
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
        uint64_t pa = vtop(cursor_ptr(&k));
        uint64_t len = min_u64(cursor_piece_left(&k), limit - bytes);
        len = min_u64(len, PRD_REGION - (pa & (PRD_REGION - 1)));
        if (used > 0 && t[used - 1].addr + prd_bytes(&t[used - 1]) == pa
            && (pa & (PRD_REGION - 1)) != 0) {
            t[used - 1].bytes = (uint16_t)(prd_bytes(&t[used - 1]) + len);  /* stays in its region */
        } else {
            if (used == PRDT_ENTRIES)
                break;
            t[used++] = (struct prd){ (uint32_t)pa, (uint16_t)len, 0 };
        }
        bytes += len;
        cursor_advance(&k, len);
    }
    /* A full table may end inside a sector: drop that sector's part. */
    for (uint64_t excess = bytes % BLOCK_SECTOR_SIZE; excess > 0;) {
        uint32_t last = prd_bytes(&t[used - 1]);
        uint32_t cut = (uint32_t)min_u64(excess, last);
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
        if (!wait_interrupt(c)) {
            *bm = inb(c->bm + BM_STATUS);
            return STA_BSY | STA_ERR;
        }
        *bm = c->irq_bm_status;
        return c->irq_status;
    }
    int64_t deadline = deadline_after(IO_TIMEOUT_MS);
    uint64_t spins = (uint64_t)IO_TIMEOUT_MS * 4000;
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

/* Reset both devices of channel C (SRST for at least 5 us) and wait for
 * them, leaving the channel's interrupt disabled (nIEN).  Lock held, or
 * probing. */
static void soft_reset(struct channel *c)
{
    uint8_t st;
    outb(c->ctl, CTL_NIEN | CTL_SRST);
    for (int i = 0; i < 20; i++)
        delay400(c);
    outb(c->ctl, CTL_NIEN);
    for (int i = 0; i < 20; i++)
        delay400(c);
    select_device(c, 0, 0);
    if (!wait_not_busy(c, PROBE_TIMEOUT_MS * 3, &st))
        printk("ata: %s: still busy after reset (status 0x%02x)\n", c->name, st);
}

/* Bring channel C back to a known state after a command that never
 * completed: stop the engine, reset both devices, and give the DMA disks
 * their transfer mode again.  Lock held (or probing). */
static bool set_xfer_mode(struct disk *d);
static void reset_channel(struct channel *c)
{
    if (c->bm)
        outb(c->bm + BM_CMD, 0);
    soft_reset(c);
    for (int dev = 0; dev < 2; dev++)
        if (c->disks[dev].present && c->disks[dev].dma_ok
            && !set_xfer_mode(&c->disks[dev])) {
            struct disk *d = &c->disks[dev];
            printk("ata: %s: transfer mode lost in the reset; PIO from now on\n", d->name);
            d->dma_ok = d->dma = false;
            d->blk->mode = "pio";
        }
    inb(c->base + REG_STATUS);
    outb(c->ctl, c->irq_on ? 0 : CTL_NIEN);
}

/* Move COUNT sectors at LBA to (WRITE) or from the memory at K with one
 * DMA command, after filling the PRD table; COUNT is the most one command
 * may move and is lowered to what the table holds.  Moves K on and
 * returns the sectors moved, 0 on error (logged; after a timeout the
 * channel is reset).  Acquires the channel lock. */
static unsigned dma_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count,
                             bool write)
{
    struct channel *c = d->ch;
    uint8_t dir = write ? 0 : BM_CMD_TO_MEMORY;
    uint8_t st, bm;
    unsigned moved = 0;

    lock_acquire(&c->lock);
    count = fill_prdt(c, k, count);
    bool ext = need_ext(lba, count);
    uint8_t cmd = write ? (ext ? CMD_WRITE_DMA_EXT : CMD_WRITE_DMA)
                        : (ext ? CMD_READ_DMA_EXT : CMD_READ_DMA);
    DEBUG(DBG_BLOCK, "ata: %s: DMA %s %u at %lu%s\n", d->name, write ? "write" : "read",
          count, (unsigned long)lba, ext ? " (lba48)" : "");
    bool poll = must_poll(c);
    dma_barrier();                              /* the table and a write's data */
    outb(c->bm + BM_CMD, dir);
    if (poll)                                   /* the handler clears them otherwise */
        outb(c->bm + BM_STATUS, inb(c->bm + BM_STATUS) | BM_STA_INT | BM_STA_ERR);
    arm(c, poll);
    if (!issue(d, ext, lba, count, cmd))
        goto out;
    outb(c->bm + BM_CMD, dir | BM_CMD_START);
    st = wait_dma(c, poll, &bm);
    outb(c->bm + BM_CMD, dir);                  /* stop the engine */
    dma_barrier();                              /* a read's data */
    if ((st & (STA_BSY | STA_ERR | STA_DF)) || (bm & BM_STA_ERR)) {
        command_failed(d, write ? "DMA write" : "DMA read", lba, count, st, bm);
        goto out;
    }
    cursor_advance(k, (size_t)count * BLOCK_SECTOR_SIZE);
    moved = count;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return moved;
}

/* Block-layer request (see block.h): in DMA commands of as many sectors
 * as one command and the PRD table take, or PIO commands of 256 sectors
 * when the disk has no DMA or the engine cannot reach the memory.  May
 * sleep. */
static bool ata_transfer(void *aux, block_sector_t sector, const struct block_iov *iov,
                         size_t n, bool write)
{
    struct disk *d = aux;
    struct cursor k = { iov, n, 0 };
    size_t left = 0;

    ASSERT(!intr_context());
    for (size_t i = 0; i < n; i++)
        left += iov[i].count;
    bool reachable = dma_reachable(iov, n);
    while (left > 0) {
        bool dma = reachable && d->dma;         /* read per command: it may change */
        unsigned most = d->lba48 && dma ? MAX_SECTORS_PER_EXT : MAX_SECTORS_PER_CMD;
        unsigned count = (unsigned)min_u64(left, most);
        if (dma)
            count = dma_transfer(d, sector, &k, count, write);
        else if (!(write ? pio_write(d, sector, &k, count) : pio_read(d, sector, &k, count)))
            count = 0;
        if (count == 0)
            return false;
        sector += count;
        left -= count;
    }
    return true;
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
        command_failed(d, "flush", 0, 0, st, -1);
        goto out;
    }
    outb(c->base + REG_COMMAND, d->lba48 ? CMD_FLUSH_CACHE_EXT : CMD_FLUSH_CACHE);
    st = wait_step(c, poll);
    if (st & (STA_ERR | STA_DF)) {
        command_failed(d, "flush", 0, 0, st, -1);
        goto out;
    }
    ok = true;
out:
    c->expecting = false;
    lock_release(&c->lock);
    return ok;
}

/* Block-layer switch between DMA and PIO (see block.h): DMA only when it
 * was set up at probe.  Takes the channel lock, so no command of the
 * channel is under way while the mode changes. */
static bool ata_set_dma(void *aux, bool on)
{
    struct disk *d = aux;
    if (on && !d->dma_ok)
        return false;
    lock_acquire(&d->ch->lock);
    d->dma = on;
    d->blk->mode = on ? "dma" : "pio";
    lock_release(&d->ch->lock);
    return true;
}

/* ---- probing ---- */

/* Give D its DMA transfer mode (SET FEATURES), polling.  False if the
 * device refuses it.  Probing, or lock held with the device idle. */
static bool set_xfer_mode(struct disk *d)
{
    struct channel *c = d->ch;
    uint8_t st;

    select_device(c, d->dev, 0);
    if (!wait_not_busy(c, PROBE_TIMEOUT_MS, &st))
        return false;
    outb(c->base + REG_FEATURES, FEAT_XFER_MODE);
    outb(c->base + REG_NSECT, d->xfer_mode);
    outb(c->base + REG_COMMAND, CMD_SET_FEATURES);
    delay400(c);
    bool done = wait_not_busy(c, PROBE_TIMEOUT_MS, &st);
    inb(c->base + REG_STATUS);
    return done && !(st & (STA_ERR | STA_DF));
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

/* Decide whether D (just identified as ID) moves data by DMA: its channel
 * has a bus-master engine, the disk announces DMA and a multiword DMA
 * mode, and accepts the fastest of those modes.  Logs the outcome.
 * Probing. */
static void choose_dma(struct disk *d, const uint16_t *id)
{
    if (!d->ch->bm)
        return;
    uint16_t modes = id[ID_MWDMA] & 0x07;
    if (!(id[ID_CAPS] & 0x0100) || modes == 0) {
        printk("ata: %s: no DMA support, PIO\n", d->name);
        return;
    }
    d->xfer_mode = XFER_MWDMA | (modes & 4 ? 2 : modes & 2 ? 1 : 0);
    if (!set_xfer_mode(d)) {
        printk("ata: %s: refuses multiword DMA mode %d, PIO\n", d->name, d->xfer_mode & 7);
        return;
    }
    if (!d->ch->prdt) {
        d->ch->prdt = palloc_get_page(0);
        if (!d->ch->prdt) {
            printk("ata: %s: no memory for a PRD table, PIO\n", d->ch->name);
            return;
        }
        outl(d->ch->bm + BM_PRDT, (uint32_t)vtop(d->ch->prdt));
    }
    d->dma_ok = d->dma = true;
    outb(d->ch->bm + BM_STATUS, inb(d->ch->bm + BM_STATUS) | BM_STA_CAPABLE(d->dev));
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
    choose_dma(d, id);
    d->blk = block_register(d->name, d->model, d->dma ? "dma" : "pio", role_of(ch, dev),
                            d->sectors, &ata_ops, d);
    if (!d->blk) {
        printk("ata: %s: out of memory, skipped\n", d->name);
        d->dma_ok = d->dma = false;
        return false;
    }
    d->present = true;
    return true;
}

/* Reset channel C and probe both its devices; enable its interrupt when
 * it has a disk.  BM is the channel's bus-master base, 0 for none.  Called
 * from ata_init only. */
static void probe_channel(struct channel *c, int ch, uint16_t bm)
{
    bool any = false;

    lock_init(&c->lock);
    sema_init(&c->done, 0);
    outb(c->ctl, CTL_NIEN);
    if (inb(c->base + REG_STATUS) == 0xFF && alt_status(c) == 0xFF)
        return;                                /* floating bus: no devices */
    c->bm = bm;
    if (bm) {
        outb(bm + BM_CMD, 0);
        outb(bm + BM_STATUS, BM_STA_INT | BM_STA_ERR);
    }
    soft_reset(c);
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

/* Find the PCI IDE controller and return its bus-master base (BAR4),
 * with I/O decoding and bus mastering enabled; 0 when there is none
 * usable, or when the command line asks for PIO.  Logs the outcome.
 * Boot thread. */
static uint16_t find_bus_master(void)
{
    struct pci_addr a;
    if (kernel_options.ata_pio) {
        printk("ata: ata=pio: programmed I/O only\n");
        return 0;
    }
    if (!pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE, &a)) {
        printk("ata: no PCI IDE controller, PIO\n");
        return 0;
    }
    uint8_t prog_if = pci_read8(a, PCI_PROG_IF);
    uint32_t bar = pci_read32(a, BAR4);
    if (!(prog_if & PROG_IF_BUS_MASTER) || (prog_if & PROG_IF_NATIVE)
        || !(bar & BAR_IO) || (bar & 0xFFFC) == 0) {
        printk("ata: IDE controller at %02x:%02x.%x has no usable bus master "
               "(interface 0x%02x, BAR4 0x%x), PIO\n", a.bus, a.dev, a.fn, prog_if, bar);
        return 0;
    }
    pci_write16(a, PCI_COMMAND, pci_read16(a, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_BUS_MASTER);
    printk("ata: IDE controller %04x:%04x at %02x:%02x.%x, bus master at port 0x%x\n",
           pci_read16(a, PCI_VENDOR), pci_read16(a, PCI_DEVICE), a.bus, a.dev, a.fn,
           bar & 0xFFFC);
    return (uint16_t)(bar & 0xFFFC);
}

/* Probe both channels (see ata.h). */
void ata_init(void)
{
    uint16_t bm = find_bus_master();
    for (int ch = 0; ch < 2; ch++)
        probe_channel(&channels[ch], ch, bm ? (uint16_t)(bm + 8 * ch) : 0);
}
