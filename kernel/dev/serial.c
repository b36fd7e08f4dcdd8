/* 16550 UART driver (see serial.h). */
#include "kernel/dev/serial.h"
#include "kernel/io.h"

enum { THR = 0, RBR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

#define FIFO_SIZE 16              /* the 16550A's transmit FIFO */

static bool present[2];
static int fifo_room[2];          /* bytes we may write before polling LSR */

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

/* Send C.  The line status is read only when the transmit FIFO may be
 * full: once it reads empty, FIFO_SIZE bytes go without asking again (each
 * port access is costly under emulation). */
void serial_putc(uint16_t port, char c)
{
    int s = slot(port);
    if (!present[s])
        return;
    if (fifo_room[s] == 0) {
        for (int spins = 0; !(inb(port + LSR) & LSR_THR_EMPTY) && spins < 100000; spins++)
            __asm__ volatile("pause");
        fifo_room[s] = FIFO_SIZE;
    }
    fifo_room[s]--;
    outb(port + THR, (uint8_t)c);
}

int serial_getc_nowait(uint16_t port)
{
    if (!present[slot(port)] || !(inb(port + LSR) & LSR_DATA_READY))
        return -1;
    return inb(port + RBR);
}
