/* Shared between the parts of the ATA driver only:
 *   kernel/dev/ata.c          probing, and the block layer's operations;
 *   kernel/dev/ata_channel.c  the channels: registers, waits, the
 *                             interrupt, errors and resets, and the one
 *                             command skeleton (ata_run_command);
 *   kernel/dev/ata_pio.c      programmed I/O;
 *   kernel/dev/ata_dma.c      bus-master DMA.
 * The public interface is ata.h. */
#ifndef KERNEL_DEV_ATA_INTERNAL_H
#define KERNEL_DEV_ATA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/console.h"
#include "kernel/dev/block.h"
#include "kernel/layout.h"
#include "kernel/sync.h"

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
#define CMD_READ_MULTIPLE 0xC4
#define CMD_READ_MULTIPLE_EXT 0x29
#define CMD_WRITE_MULTIPLE 0xC5
#define CMD_WRITE_MULTIPLE_EXT 0x39
#define CMD_SET_MULTIPLE 0xC6
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
    unsigned multiple;         /* PIO: sectors per DRQ block of READ/WRITE
                                  MULTIPLE (SET MULTIPLE MODE accepted), or
                                  0: READ/WRITE SECTORS, one per block */
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

/* The two channels, as the legacy ports place them (ata_channel.c). */
extern struct channel ata_channels[2];

/* One command on a disk, as the command skeleton runs it. */
struct ata_command {
    const char *what;          /* for the log: "PIO read", "flush" */
    uint8_t op;                /* the command byte (DMA's prepare sets it) */
    bool ext;                  /* the 48-bit register protocol */
    bool write;                /* memory to device */
    uint64_t lba;
    unsigned count;            /* sectors; 0 for a command without data */
    struct cursor *k;          /* the request's memory, moved on as it goes */
    bool interrupt_at_issue;   /* the first step after the command byte
                                  raises an interrupt: arm before issuing */
    /* With the channel lock, before arming and issuing (NULL for none):
     * DMA's PRD table, which may lower COUNT, and its engine. */
    void (*prepare)(struct disk *d, struct ata_command *cmd, bool poll);
    /* Once issued: the data phase and the completion check; false on
     * error, logged (ata_command_failed). */
    bool (*finish)(struct disk *d, struct ata_command *cmd, bool poll);
};

/* The one command skeleton: take D's channel lock, decide whether to poll
 * (the channel's or the CPU's interrupts off), prepare, arm when the
 * command's first step interrupts, select D and issue CMD (its address
 * and count, then its command byte), run its finish step, then disarm and
 * release the lock whatever happened.  Returns the finish step's verdict,
 * false also when the device stayed busy at selection (logged).  May
 * sleep. */
bool ata_run_command(struct disk *d, struct ata_command *cmd);

/* ata_channel.c: the channel primitives.  Each runs with the channel lock
 * held, or while probing, unless it says otherwise. */
uint64_t ata_min_u64(uint64_t a, uint64_t b);
uint8_t channel_alt_status(struct channel *c);
void channel_delay400(struct channel *c);
int64_t ata_deadline_after(unsigned ms);
bool channel_wait_not_busy(struct channel *c, unsigned ms, uint8_t *status);
void channel_select(struct channel *c, int dev, uint8_t head);
void channel_arm(struct channel *c, bool poll);
bool channel_wait_interrupt(struct channel *c);
uint8_t channel_wait_step(struct channel *c, bool poll);
void ata_command_failed(struct disk *d, const char *what, uint64_t lba, unsigned count,
                        uint8_t st, int bm);
bool ata_need_ext(uint64_t lba, unsigned count);
uint8_t *ata_cursor_ptr(const struct cursor *k);
size_t ata_cursor_piece_left(const struct cursor *k);
void ata_cursor_advance(struct cursor *k, size_t bytes);
void channel_soft_reset(struct channel *c);
bool ata_set_xfer_mode(struct disk *d);
/* Give D its PIO block size D->multiple (SET MULTIPLE MODE), polling.
 * False if the device refuses it.  Probing, or lock held with the device
 * idle. */
bool ata_set_multiple(struct disk *d);
void channel_reset(struct channel *c);
/* Register channel CH's interrupt handler and let its devices interrupt
 * (nIEN cleared).  Probing, once a disk of the channel is registered. */
void channel_enable_interrupts(struct channel *c, int ch);

/* ata_pio.c: COUNT (1..256) sectors at LBA to (WRITE) or from the memory
 * at K in one WRITE/READ MULTIPLE command when D has a block size, else
 * WRITE/READ SECTORS, moving K on; false on error (logged).  Acquires the
 * channel lock. */
bool pio_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count, bool write);

/* ata_dma.c: can the bus-master engine reach every piece of IOV (N
 * pieces): kernel memory below 4 GiB at an even address?  Any context. */
bool dma_reachable(const struct block_iov *iov, size_t n);
/* Move COUNT sectors at LBA to (WRITE) or from the memory at K with one
 * DMA command, after filling the PRD table; COUNT is the most one command
 * may move and is lowered to what the table holds.  Moves K on and
 * returns the sectors moved, 0 on error (logged; after a timeout the
 * channel is reset).  Acquires the channel lock. */
unsigned dma_transfer(struct disk *d, uint64_t lba, struct cursor *k, unsigned count,
                      bool write);

#endif
