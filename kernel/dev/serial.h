/* 16550 UART driver, polled transmit.  COM1 is the console, COM2 the
 * kernel log (docs/interfaces.md).  serial_putc never sleeps. */
#ifndef KERNEL_DEV_SERIAL_H
#define KERNEL_DEV_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3f8
#define COM2 0x2f8

void serial_init(uint16_t port);
void serial_putc(uint16_t port, char c);
/* Receive one byte if one is waiting; -1 otherwise. */
int serial_getc_nowait(uint16_t port);

#endif
