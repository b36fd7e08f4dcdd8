/* The system-call entry (the `syscall` instruction) and dispatch. */
#ifndef PROC_SYSCALL_H
#define PROC_SYSCALL_H

#include <stdint.h>

void syscall_init(void);
/* The kernel stack `syscall` switches to: the running thread's. */
void syscall_set_kernel_stack(uint64_t top);

#endif
