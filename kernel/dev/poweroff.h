/* Ending the machine.  power_off() is the clean end: QEMU exits with
 * status 33 through the isa-debug-exit device; power_off_panic() exits
 * with status 35; power_off_refused() with status 39 (the command line
 * was refused, kernel/cmdline.c).  Without that device both fall back to ACPI S5, then a
 * keyboard-controller reset, then halt. */
#ifndef KERNEL_DEV_POWEROFF_H
#define KERNEL_DEV_POWEROFF_H

void power_off(void) __attribute__((noreturn));
void power_off_panic(void) __attribute__((noreturn));
void power_off_refused(void) __attribute__((noreturn));

#endif
