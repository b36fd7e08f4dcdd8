/* Power-off paths (see poweroff.h). */
#include "kernel/dev/poweroff.h"
#include "kernel/io.h"

#define DEBUG_EXIT_PORT 0xf4
#define EXIT_CLEAN 0x10     /* QEMU status (0x10 << 1) | 1 = 33 */
#define EXIT_PANIC 0x11     /* QEMU status 35 */
#define EXIT_HANG 0x12      /* QEMU status 37 */
#define EXIT_REFUSED 0x13   /* QEMU status 39: bad kernel command line */

static void __attribute__((noreturn)) end_machine(uint8_t code)
{
    __asm__ volatile("cli");
    outb(DEBUG_EXIT_PORT, code);
    /* Still here: no debug-exit device.  ACPI S5 on QEMU's PIIX4 PM
     * block (0x604 with SeaBIOS, 0xb004 on older firmware). */
    outw(0x604, 0x2000);
    outw(0xb004, 0x2000);
    /* Reset through the keyboard controller (ends QEMU under -no-reboot). */
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        ;
    outb(0x64, 0xfe);
    for (;;)
        __asm__ volatile("hlt");
}

void power_off(void) { end_machine(EXIT_CLEAN); }
void power_off_panic(void) { end_machine(EXIT_PANIC); }
void power_off_hang(void) { end_machine(EXIT_HANG); }
void power_off_refused(void) { end_machine(EXIT_REFUSED); }
