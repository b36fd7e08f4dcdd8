/* Hangs the kernel finds itself (docs/kernel.md, "Hangs"), so that a run
 * that can no longer make progress ends in seconds with a report instead
 * of waiting for the harness's watchdog.
 *
 * A deadlock: the idle thread is about to halt, so every other thread is
 * blocked, and nothing that could ever make one ready again is pending:
 * no thread sleeps until a tick (thread_sleepers), no timer alarm is
 * armed (timer_alarms_pending), no disk request is under way
 * (block_requests_pending).  Those are the only things that wake a thread
 * from an interrupt; everything else that wakes one is another thread.
 *
 * A soft lockup: the timer interrupt finds one thread, not the idle one,
 * in kernel mode at the ticks of `lockup_ms` milliseconds (a command-line
 * option) since it last blocked or entered the kernel from user mode.
 *
 * Either prints `Kernel HANG: KIND: ...` and every thread's state and
 * call stack on COM2 (the kernel log) and powers off with QEMU status 37
 * (docs/interfaces.md).  `hangcheck=off` turns both checks off. */
#ifndef KERNEL_HANGCHECK_H
#define KERNEL_HANGCHECK_H

struct intr_frame;

/* Read the options and register the accounting counter.  Boot, after
 * cmdline_parse. */
void hangcheck_init(void);
/* The deadlock check.  Idle thread, interrupts off, no other thread
 * ready. */
void hangcheck_idle(void);
/* The soft-lockup check, with the frame the timer interrupted.  Timer
 * interrupt, interrupts off. */
void hangcheck_tick(const struct intr_frame *f);

#endif
