/* Kernel threads and the round-robin scheduler.
 *
 * Each thread's struct thread sits at the base of its own kernel stack,
 * THREAD_STACK_PAGES pages from the page allocator.  The scheduler is preemptive: the
 * timer interrupt ends a thread's slice after TIME_SLICE ticks. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/list.h"

enum thread_status { THREAD_RUNNING, THREAD_READY, THREAD_BLOCKED, THREAD_DYING };

typedef int tid_t;
#define TID_ERROR ((tid_t)-1)
#define THREAD_STACK_PAGES 4
#define TIME_SLICE 4
#define FPU_AREA_SIZE 512             /* what fxsave writes */

struct process;

struct thread {
    tid_t tid;
    enum thread_status status;
    char name[32];
    uint64_t rsp;                 /* saved stack pointer while switched out */
    void *stack;                  /* base of the kernel stack pages */
    struct list_elem elem;        /* ready list or a wait list */
    struct list_elem allelem;     /* all_threads */
    int64_t wake_tick;            /* for timer_sleep */
    struct process *process;      /* owning user process, or NULL */
    unsigned kernel_ticks;        /* ticks found in kernel mode since it last
                                     blocked or entered from user mode
                                     (kernel/hangcheck.c) */
    uint8_t fpu[FPU_AREA_SIZE] __attribute__((aligned(16)));  /* fxsave area */
    uint32_t magic;               /* detects a kernel stack overflow */
};

typedef void thread_func(void *aux);

void thread_init(void);      /* turn the boot context into the "main" thread */
void thread_start(void);     /* create the idle thread, start preempting */
tid_t thread_create(const char *name, thread_func *fn, void *aux);
struct thread *thread_current(void);
void thread_yield(void);
void thread_block(void);     /* intr must be off */
void thread_unblock(struct thread *t);   /* intr any; t must be blocked */
void thread_exit(void) __attribute__((noreturn));
void thread_tick(void);      /* from the timer interrupt */
void thread_sleep_until(int64_t tick);
/* The running thread's FPU/SSE state becomes the default one (x87 control
 * word 0x037f, MXCSR 0x1f80, every register zero): exec's fresh image.  A
 * new thread starts instead with its creator's state (thread_create).
 * Any context but an interrupt handler. */
void thread_fpu_reset(void);
/* Top of T's kernel stack (for the TSS rsp0 and syscall entry). */
uint64_t thread_stack_top(struct thread *t);

/* Hook called after every switch with the new thread (process layer
 * installs its address space and TSS stack); NULL until set. */
extern void (*thread_switch_hook)(struct thread *next);

/* The thread now entered the kernel from user mode: its kernel stint
 * (kernel_ticks, for the soft-lockup check) starts again.  Interrupts
 * any. */
void thread_entered_kernel(void);

/* For the hang report (kernel/hangcheck.c), interrupts off: call FN for
 * every thread but the idle one, in creation order; whether T is the idle
 * thread; the tid of the thread that blocked last (0: none yet); the
 * number of threads sleeping in thread_sleep_until; and, for a thread
 * that is switched out, the return address into schedule() and the frame
 * pointer that switch_threads saved. */
void thread_foreach(void (*fn)(struct thread *t, void *aux), void *aux);
bool thread_is_idle(const struct thread *t);
tid_t thread_last_blocked(void);
size_t thread_sleepers(void);
void thread_saved_frame(const struct thread *t, uint64_t *ret, uint64_t *rbp);

/* True while thread TID exists (not yet freed). */
bool thread_alive(tid_t tid);

/* Sleep until every thread that thread_create made (the idle thread
 * aside) has ended and its stack has been freed: a thread's stack is
 * freed by the next thread to run after it ends, so "it ended" alone does
 * not mean its pages are back.  Called by the main thread only. */
void thread_wait_all_freed(void);

#endif
