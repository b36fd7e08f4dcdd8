/* Interrupts and exceptions.
 *
 * Rule for when interrupts are off (uniprocessor kernel): only
 *   - inside interrupt handlers (the CPU enters every one with IF clear;
 *     handlers of external interrupts never re-enable it, while those of
 *     exceptions and `int` from user mode may, to sleep: a page fault
 *     waits for the VM lock and the disk),
 *   - in the scheduler and the thread queues it guards,
 *   - in the short sections of semaphores, of handler registration and of
 *     the page allocator and the heap (kernel/sync.c, interrupt.c,
 *     kernel/palloc.c, kernel/kmalloc.c, kernel/inject.c),
 *   - on the panic path.
 * Everything else, including every sleeping lock holder, runs with
 * interrupts on.  Code that turns them off restores the previous level
 * with intr_set_level(old) rather than blindly enabling. */
#ifndef KERNEL_INTERRUPT_H
#define KERNEL_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

enum intr_level { INTR_OFF, INTR_ON };

enum intr_level intr_get_level(void);
enum intr_level intr_set_level(enum intr_level);
enum intr_level intr_enable(void);
enum intr_level intr_disable(void);

/* The frame that the entry stubs push; layout shared with intr_stubs.S. */
struct intr_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rsi, rdi, rbp, rdx, rcx, rbx, rax;
    uint64_t vec_no;      /* interrupt vector */
    uint64_t error_code;  /* CPU error code, or 0 */
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

typedef void intr_handler_fn(struct intr_frame *);

/* kernel/intr_stubs.S: 256 entry stubs of 16 bytes each, and the C
 * function they call with the frame, interrupts off. */
extern char intr_stubs[];
void intr_dispatch(struct intr_frame *f);

void intr_init(void);
/* Register HANDLER for hardware IRQ line IRQ (0-15), and unmask it. */
void intr_register_irq(int irq, intr_handler_fn *handler, const char *name);
/* Register HANDLER for vector VEC; DPL 3 lets user code raise it with int. */
void intr_register_int(int vec, int dpl, intr_handler_fn *handler, const char *name);
/* Register the handler that receives CPU exception VEC (0-31) when it
 * arises; the default reports it and panics (kernel) or kills (user). */
void intr_register_exception(int vec, intr_handler_fn *handler);

/* Report an exception nobody can handle and panic. */
void intr_unhandled(struct intr_frame *f) __attribute__((noreturn));
/* Called before any interrupt or exception returns to user mode (the
 * process layer checks for a pending kill there), with interrupts as the
 * handler left them: off after an external interrupt, on after a handler
 * that enabled them (a page fault, a user exception).  NULL until set. */
extern void (*intr_user_return_hook)(struct intr_frame *f);

bool intr_context(void);          /* true while in an external interrupt */
void intr_yield_on_return(void);  /* in a handler: yield before returning */

/* CR2: the address of the last page fault. */
static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

/* Print a named report of frame F (exception name, error, rip, cr2 for a
 * page fault, registers); see interrupt.c. */
void intr_dump_frame(const struct intr_frame *f);
const char *intr_name(int vec);

#endif
