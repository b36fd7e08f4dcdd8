/* The system-call entry (the `syscall` instruction) and dispatch. */
#ifndef PROC_SYSCALL_H
#define PROC_SYSCALL_H

#include <stdint.h>

struct intr_frame;

/* Boot: point the `syscall` instruction at syscall_entry. */
void syscall_init(void);
/* The kernel stack `syscall` switches to: the running thread's.  Called
 * on every thread switch, interrupts off. */
void syscall_set_kernel_stack(uint64_t top);

/* proc/syscall_entry.S: the entry point, the stack it switches to, and
 * process_enter_user(F), which leaves for user mode through frame F
 * (anywhere on the current kernel stack) and never returns. */
extern char syscall_entry[];
extern uint64_t syscall_kernel_rsp;
void process_enter_user(const struct intr_frame *f) __attribute__((noreturn));
/* Called by syscall_entry with the caller's frame, interrupts on: run
 * system call F->rax and leave its result in F->rax; returns with
 * interrupts off, on the way back to user mode. */
void syscall_dispatch(struct intr_frame *f);

#endif
