/* PCI configuration space (see pci.h).
 *
 * Mechanism #1: write the address of a 32-bit configuration register
 * (enable bit 31, bus 23..16, device 15..11, function 10..8, register
 * 7..2) to port 0xCF8, then read or write it at port 0xCFC; a narrower
 * field at byte offset N of that register is at port 0xCFC + N. */
#include "kernel/dev/pci.h"
#include "kernel/console.h"
#include "kernel/io.h"

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA 0xCFC

#define HEADER_TYPE 0x0E              /* bit 7: multi-function device */
#define BRIDGE_SECONDARY_BUS 0x19
#define CLASS_BRIDGE 0x06
#define SUBCLASS_PCI_BRIDGE 0x04
#define MAX_DEPTH 8                   /* bridges below bridges */

/* Select register OFS (rounded down to 4 bytes) of A.  Boot thread. */
static void config_select(struct pci_addr a, uint8_t ofs)
{
    outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11
                             | (uint32_t)a.fn << 8 | (ofs & 0xFC));
}

uint32_t pci_read32(struct pci_addr a, uint8_t ofs)
{
    config_select(a, ofs);
    return inl(CONFIG_DATA);
}

uint16_t pci_read16(struct pci_addr a, uint8_t ofs)
{
    config_select(a, ofs);
    return inw(CONFIG_DATA + (ofs & 2));
}

uint8_t pci_read8(struct pci_addr a, uint8_t ofs)
{
    config_select(a, ofs);
    return inb(CONFIG_DATA + (ofs & 3));
}

void pci_write16(struct pci_addr a, uint8_t ofs, uint16_t v)
{
    config_select(a, ofs);
    outw(CONFIG_DATA + (ofs & 2), v);
}

static void pci_write32(struct pci_addr a, uint8_t ofs, uint32_t v)
{
    config_select(a, ofs);
    outl(CONFIG_DATA, v);
}

/* Search bus BUS (and the buses behind its bridges, to DEPTH more
 * levels) for CLASS/SUBCLASS.  Boot thread. */
static bool scan_bus(uint8_t bus, int depth, uint8_t class, uint8_t subclass,
                     struct pci_addr *out)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        struct pci_addr a = { bus, dev, 0 };
        if (pci_read16(a, PCI_VENDOR) == 0xFFFF)
            continue;
        uint8_t nfn = (pci_read8(a, HEADER_TYPE) & 0x80) ? 8 : 1;
        for (a.fn = 0; a.fn < nfn; a.fn++) {
            if (pci_read16(a, PCI_VENDOR) == 0xFFFF)
                continue;
            uint8_t c = pci_read8(a, PCI_CLASS), sc = pci_read8(a, PCI_SUBCLASS);
            if (c == class && sc == subclass) {
                *out = a;
                return true;
            }
            if (c == CLASS_BRIDGE && sc == SUBCLASS_PCI_BRIDGE && depth > 0) {
                uint8_t secondary = pci_read8(a, BRIDGE_SECONDARY_BUS);
                if (secondary > bus && scan_bus(secondary, depth - 1, class, subclass, out))
                    return true;
            }
        }
    }
    return false;
}

/* Find CLASS/SUBCLASS (see pci.h).  Boot thread. */
bool pci_find_class(uint8_t class, uint8_t subclass, struct pci_addr *out)
{
    return scan_bus(0, MAX_DEPTH, class, subclass, out);
}

/* Unassigned I/O BARs.  SeaBIOS gives every BAR an address; qboot gives
 * none, and the bus-master registers of the IDE controller (BAR4) would
 * then be unreachable.  So the kernel assigns I/O BARs left at 0, from
 * the ports above the highest one the firmware assigned, and at least
 * from 0xC000, where the PC's PCI I/O window starts.  Memory BARs are
 * left alone: no driver of Folio's uses one. */
#define BAR_IO 0x1
#define BAR_MEM_64 0x4                /* memory BAR, type 64-bit: two slots */
#define HEADER_TYPE_NORMAL 0x00
#define IO_WINDOW_START 0xC000u
#define IO_WINDOW_END 0x10000u

/* The size of the I/O BAR at OFS of A (a power of two), by writing all
 * ones and reading back the bits it keeps; 0 when it keeps none (not
 * implemented).  The function's I/O decoding is off meanwhile; the BAR
 * and the command register are restored.  Boot thread. */
static uint32_t io_bar_size(struct pci_addr a, uint8_t ofs)
{
    uint16_t cmd = pci_read16(a, PCI_COMMAND);
    uint32_t old = pci_read32(a, ofs);
    pci_write16(a, PCI_COMMAND, cmd & ~PCI_CMD_IO);
    pci_write32(a, ofs, 0xFFFFFFFFu);
    uint32_t mask = pci_read32(a, ofs) & 0xFFFCu;
    pci_write32(a, ofs, old);
    pci_write16(a, PCI_COMMAND, cmd);
    return mask ? (~mask & 0xFFFFu) + 1 : 0;
}

/* Call VISIT on every I/O BAR of every function on bus 0 (the PC's
 * devices; Folio's drivers use none behind a bridge). */
static void for_each_io_bar(void (*visit)(struct pci_addr a, uint8_t ofs, uint32_t bar))
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        struct pci_addr a = { 0, dev, 0 };
        if (pci_read16(a, PCI_VENDOR) == 0xFFFF)
            continue;
        uint8_t nfn = (pci_read8(a, HEADER_TYPE) & 0x80) ? 8 : 1;
        for (a.fn = 0; a.fn < nfn; a.fn++) {
            if (pci_read16(a, PCI_VENDOR) == 0xFFFF
                || (pci_read8(a, HEADER_TYPE) & 0x7F) != HEADER_TYPE_NORMAL)
                continue;
            for (uint8_t ofs = PCI_BAR0; ofs < PCI_BAR0 + 24; ofs += 4) {
                uint32_t bar = pci_read32(a, ofs);
                if (bar & BAR_IO)
                    visit(a, ofs, bar);
                else if (bar & BAR_MEM_64)
                    ofs += 4;
            }
        }
    }
}

static uint32_t io_next = IO_WINDOW_START;   /* the first free port */

static void note_assigned(struct pci_addr a, uint8_t ofs, uint32_t bar)
{
    uint32_t base = bar & 0xFFFCu, size = io_bar_size(a, ofs);
    if (base && size && base + size > io_next)
        io_next = base + size;
}

static void assign(struct pci_addr a, uint8_t ofs, uint32_t bar)
{
    uint32_t size = io_bar_size(a, ofs);
    if ((bar & 0xFFFCu) || !size)
        return;
    uint32_t base = (io_next + size - 1) & ~(size - 1);
    if (base + size > IO_WINDOW_END) {
        printk("pci: %02x:%02x.%x BAR%d: no room for %u I/O ports, left unassigned\n",
               a.bus, a.dev, a.fn, (ofs - PCI_BAR0) / 4, size);
        return;
    }
    pci_write32(a, ofs, base | BAR_IO);
    io_next = base + size;
    printk("pci: %02x:%02x.%x BAR%d: I/O ports 0x%x-0x%x (the firmware left it unassigned)\n",
           a.bus, a.dev, a.fn, (ofs - PCI_BAR0) / 4, base, base + size - 1);
}

/* Assign the unassigned I/O BARs (see pci.h).  Boot thread. */
void pci_init(void)
{
    for_each_io_bar(note_assigned);
    for_each_io_bar(assign);
}
