/* CPU exceptions raised by user programs, and the `int $0x42` frame
 * query of docs/abi.md. */
#ifndef PROC_TRAP_H
#define PROC_TRAP_H

void trap_init(void);

#endif
