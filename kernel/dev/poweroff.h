/* Ending the machine.  power_off() is the clean end: QEMU exits with
 * status 33 through the isa-debug-exit device; power_off_panic() exits
 * with status 35, power_off_hang() (a deadlock or soft lockup found,
 * kernel/hangcheck.c) with 37, power_off_refused() (the command line was
 * refused, kernel/cmdline.c) with 39.  Without that device all fall back
 * to ACPI S5, then a keyboard-controller reset, then halt. */
#ifndef KERNEL_DEV_POWEROFF_H
#define KERNEL_DEV_POWEROFF_H

void power_off(void) __attribute__((noreturn));
void power_off_panic(void) __attribute__((noreturn));
void power_off_hang(void) __attribute__((noreturn));
void power_off_refused(void) __attribute__((noreturn));

#endif
