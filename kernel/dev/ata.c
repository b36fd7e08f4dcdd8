/* The legacy IDE/ATA disk driver (see ata.h): probing, and the
 * operations the block layer calls.  Requests run as commands of
 * programmed I/O (kernel/dev/ata_pio.c) or bus-master DMA
 * (kernel/dev/ata_dma.c), each in the one command skeleton of
 * kernel/dev/ata_channel.c; kernel/dev/ata_internal.h names the parts. */
#include "kernel/dev/ata.h"
#include "kernel/dev/ata_internal.h"
#include "kernel/dev/pci.h"
#include "kernel/cmdline.h"
#include "kernel/interrupt.h"
#include "kernel/io.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/palloc.h"

#define PCI_CLASS_STORAGE 0x01
#define PCI_SUBCLASS_IDE 0x01
#define PROG_IF_NATIVE 0x05           /* either channel in PCI native mode */
#define PROG_IF_BUS_MASTER 0x80
#define BAR_IO 0x1                    /* the BAR is in I/O space */
#define BAR4 (PCI_BAR0 + 16)

/* IDENTIFY DEVICE words. */
#define ID_CAPS 49                    /* bit 9 LBA, bit 8 DMA */
#define ID_MWDMA 63                   /* bits 0..2: multiword DMA modes */
#define ID_MULTIPLE 47                /* bits 0..7: most sectors per DRQ block */

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
        unsigned count = (unsigned)ata_min_u64(left, most);
        if (dma)
            count = dma_transfer(d, sector, &k, count, write);
        else if (!pio_transfer(d, sector, &k, count, write))
            count = 0;
        if (count == 0)
            return false;
        sector += count;
        left -= count;
    }
    return true;
}

/* FLUSH CACHE's completion: one interrupt, then the status.  Lock held
 * (the skeleton's). */
static bool flush_finish(struct disk *d, struct ata_command *cmd, bool poll)
{
    uint8_t st = channel_wait_step(d->ch, poll);
    if (st & (STA_ERR | STA_DF)) {
        ata_command_failed(d, cmd->what, 0, 0, st, -1);
        return false;
    }
    return true;
}

/* Block-layer flush: FLUSH CACHE (EXT on 48-bit devices).  Returns false
 * on error (logged).  Acquires the channel lock; may sleep. */
static bool ata_flush(void *aux)
{
    struct disk *d = aux;
    ASSERT(!intr_context());
    struct ata_command cmd = {
        .what = "flush",
        .op = d->lba48 ? CMD_FLUSH_CACHE_EXT : CMD_FLUSH_CACHE,
        .interrupt_at_issue = true,
        .finish = flush_finish,
    };
    return ata_run_command(d, &cmd);
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

static const struct block_ops ata_ops = {
    .transfer = ata_transfer,
    .flush = ata_flush,
    .set_dma = ata_set_dma,
};

/* ---- probing ---- */

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
    if (!ata_set_xfer_mode(d)) {
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

/* Give D the largest PIO block size (a power of two, at most 128 sectors)
 * that its IDENTIFY data ID allows, so that READ/WRITE MULTIPLE move that
 * many sectors per interrupt; none (READ/WRITE SECTORS) when the disk has
 * no multiple mode or refuses it, or under ata_multiple=0 (which tests
 * that path: QEMU's disks all have multiple mode).  Under QEMU each interrupt is a round
 * trip through its block layer, which costs far more than the sector's
 * data: blocks of 16 sectors made the PIO suite's swap tests about four
 * times cheaper.  Probing. */
static void choose_multiple(struct disk *d, const uint16_t *id)
{
    unsigned most = id[ID_MULTIPLE] & 0xFF, n = 1;
    if (kernel_options.ata_single) {
        printk("ata: %s: ata_multiple=0: one sector a PIO block\n", d->name);
        return;
    }
    while (n * 2 <= most)
        n *= 2;
    if (n < 2)
        return;
    d->multiple = n;
    if (!ata_set_multiple(d)) {
        printk("ata: %s: refuses %u sectors per PIO block, one sector a block\n", d->name, n);
        d->multiple = 0;
    }
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
    channel_select(c, dev, 0);
    st = channel_alt_status(c);
    if (st == 0xFF)
        return false;                          /* floating bus */
    uint8_t mid = inb(c->base + REG_LBA1), high = inb(c->base + REG_LBA2);
    if ((mid == 0x14 && high == 0xEB) || (mid == 0x69 && high == 0x96)) {
        printk("ata: %s: ATAPI device, skipped\n", d->name);
        return false;
    }
    if (st == 0)
        return false;                          /* no device answers */
    if (!channel_wait_not_busy(c, PROBE_TIMEOUT_MS, &st)) {
        printk("ata: %s: stays busy (status 0x%02x), skipped\n", d->name, st);
        return false;
    }

    outb(c->base + REG_NSECT, 0);
    outb(c->base + REG_LBA0, 0);
    outb(c->base + REG_LBA1, 0);
    outb(c->base + REG_LBA2, 0);
    outb(c->base + REG_COMMAND, CMD_IDENTIFY);
    channel_delay400(c);
    if (channel_alt_status(c) == 0)
        return false;
    if (!channel_wait_not_busy(c, PROBE_TIMEOUT_MS, &st)) {
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
    choose_multiple(d, id);
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
    if (inb(c->base + REG_STATUS) == 0xFF && channel_alt_status(c) == 0xFF)
        return;                                /* floating bus: no devices */
    c->bm = bm;
    if (bm) {
        outb(bm + BM_CMD, 0);
        outb(bm + BM_STATUS, BM_STA_INT | BM_STA_ERR);
    }
    channel_soft_reset(c);
    for (int dev = 0; dev < 2; dev++)
        if (probe_device(c, ch, dev))
            any = true;
    if (any)
        channel_enable_interrupts(c, ch);
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
        probe_channel(&ata_channels[ch], ch, bm ? (uint16_t)(bm + 8 * ch) : 0);
}

