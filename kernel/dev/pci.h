/* PCI configuration space, by configuration mechanism #1 (ports 0xCF8
 * and 0xCFC), and a search of the buses for a device class.
 *
 * Only the boot thread uses it (drivers probing at boot), so it
 * takes no lock. */
#ifndef KERNEL_DEV_PCI_H
#define KERNEL_DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>

/* Where a function sits: bus, device (0..31), function (0..7). */
struct pci_addr {
    uint8_t bus, dev, fn;
};

/* Offsets in the configuration header used by drivers. */
#define PCI_VENDOR 0x00        /* 16 bits; 0xFFFF: no function here */
#define PCI_DEVICE 0x02        /* 16 bits */
#define PCI_COMMAND 0x04       /* 16 bits */
#define PCI_PROG_IF 0x09       /* 8 bits */
#define PCI_SUBCLASS 0x0A      /* 8 bits */
#define PCI_CLASS 0x0B         /* 8 bits */
#define PCI_BAR0 0x10          /* 32 bits each, six of them */

#define PCI_CMD_IO 0x0001          /* responds to I/O space accesses */
#define PCI_CMD_BUS_MASTER 0x0004  /* may master the bus (DMA) */

uint32_t pci_read32(struct pci_addr a, uint8_t ofs);
uint16_t pci_read16(struct pci_addr a, uint8_t ofs);
uint8_t pci_read8(struct pci_addr a, uint8_t ofs);
void pci_write16(struct pci_addr a, uint8_t ofs, uint16_t v);

/* Give every I/O BAR on bus 0 that the firmware left unassigned (0) a
 * range of ports of its own, and log each (qboot assigns none).  Once, at
 * boot, before any driver probes. */
void pci_init(void);

/* Find the first function (in bus, device, function order, following
 * PCI-to-PCI bridges from bus 0) with class CLASS and subclass SUBCLASS;
 * false when there is none. */
bool pci_find_class(uint8_t class, uint8_t subclass, struct pci_addr *out);

#endif
