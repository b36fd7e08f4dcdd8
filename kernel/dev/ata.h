/* The legacy IDE/ATA disk driver (PIO, interrupt-driven).
 *
 * Two channels, each with a master and a slave:
 *   channel 0: command block 0x1F0, control 0x3F6, IRQ 14
 *   channel 1: command block 0x170, control 0x376, IRQ 15
 * ata_init() probes all four positions with IDENTIFY DEVICE, skips absent
 * and ATAPI devices (the CD-ROM), and registers every ATA disk with the
 * block layer as "hdC:D" (channel C, device D), with the role that
 * docs/interfaces.md gives its position.  Requests then arrive through the
 * block layer (block.h); nothing else here is public. */
#ifndef KERNEL_DEV_ATA_H
#define KERNEL_DEV_ATA_H

/* Probe both channels and register the disks found.  Called once by
 * kernel/main.c before block_init(), from a thread, with interrupts on. */
void ata_init(void);

/* For the timeout test (selftest iotimeout): the next interrupt that a
 * command waits for is acknowledged but not passed on, as if the device
 * never raised it, so the command times out and the channel is reset.
 * Any context. */
void ata_lose_next_interrupt(void);

/* How long a command may go without completing before the driver gives
 * up on it and resets its channel, in milliseconds: the kernel option
 * ata_timeout_ms (docs/interfaces.md, section 2).  Any context. */
unsigned ata_timeout_ms(void);

#endif
