/* PCI configuration space (see pci.h).
 *
 * Mechanism #1: write the address of a 32-bit configuration register
 * (enable bit 31, bus 23..16, device 15..11, function 10..8, register
 * 7..2) to port 0xCF8, then read or write it at port 0xCFC; a narrower
 * field at byte offset N of that register is at port 0xCFC + N. */
#include "kernel/dev/pci.h"
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
