/* 16550 UART driver (see serial.h). */
#include "kernel/dev/serial.h"
#include "kernel/io.h"

enum { THR = 0, RBR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool present[2];

static int slot(uint16_t port) { return port == COM1 ? 0 : 1; }

/* Program PORT for 115200 8N1 with FIFOs, interrupts off.  A port whose
 * scratch register does not hold a value is recorded as absent. */
void serial_init(uint16_t port)
{
    outb(port + SCR, 0x5a);
    if (inb(port + SCR) != 0x5a)
        return;
    outb(port + IER, 0x00);
    outb(port + LCR, 0x80);        /* divisor latch */
    outb(port + DLL, 1);           /* 115200 / 1 */
    outb(port + DLM, 0);
    outb(port + LCR, 0x03);        /* 8 bits, no parity, one stop bit */
    outb(port + FCR, 0xc7);        /* enable and clear FIFOs */
    outb(port + MCR, 0x03);        /* DTR, RTS */
    present[slot(port)] = true;
}

bool serial_present(uint16_t port) { return present[slot(port)]; }

void serial_putc(uint16_t port, char c)
{
    if (!present[slot(port)])
        return;
    for (int spins = 0; !(inb(port + LSR) & LSR_THR_EMPTY) && spins < 100000; spins++)
        __asm__ volatile("pause");
    outb(port + THR, (uint8_t)c);
}

int serial_getc_nowait(uint16_t port)
{
    if (!present[slot(port)] || !(inb(port + LSR) & LSR_DATA_READY))
        return -1;
    return inb(port + RBR);
}
