/* The self-test runner (see selftest.h), plus the deliberate failures the
 * harness uses to prove it tells failures apart and says where each
 * happened: `panic` (a panic three calls deep), `pf` (a kernel page
 * fault), `ud` (an undefined instruction in the kernel), `hang` (a kernel
 * loop that never ends: a soft lockup), `deadlock` (two threads that each
 * wait for the other's lock), `triple` (a triple fault) and `idt-cut` (a
 * triple fault struck by the timer). */
#include "kernel/selftest.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include <stdarg.h>
#include <stdint.h>

static const char *current_name;
static int failures;

static void st_vprint(const char *prefix, const char *fmt, va_list ap)
{
    char buf[256];
    vsnprintf(buf, sizeof buf, fmt, ap);
    console_printf("(%s) %s%s\n", current_name, prefix, buf);
}

void st_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st_vprint("", fmt, ap);
    va_end(ap);
}

void st_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st_vprint("FAIL: ", fmt, ap);
    va_end(ap);
    failures++;
}

/* Deliberate failures: these never report PASS. */
static void __attribute__((noinline)) panic_depth3(int n)
{
    PANIC("deliberate panic for the harness (depth %d)", n);
}

static void __attribute__((noinline)) panic_depth2(int n)
{
    panic_depth3(n + 1);
    __asm__ volatile("");   /* keep the call from becoming a jump */
}

static void selftest_panic(void)
{
    panic_depth2(2);
    __asm__ volatile("");
}

/* A read through a wild kernel pointer: an address in the unmapped hole
 * between the direct map and the kernel image, so the CPU raises #PF in
 * ring 0 and the kernel panics (unhandled exception). */
static uint64_t __attribute__((noinline)) pf_read(volatile uint64_t *p)
{
    return *p;
}

static void selftest_pf(void)
{
    pf_read((volatile uint64_t *)0xffffc00000000000UL);
    __asm__ volatile("");
}

/* An undefined instruction in ring 0: #UD, which the kernel does not
 * handle, so it panics (unhandled exception); the report must not show a
 * CR2, which only a page fault sets. */
static void __attribute__((noinline)) ud_exec(void)
{
    __asm__ volatile("ud2");
}

static void selftest_ud(void)
{
    ud_exec();
    __asm__ volatile("");
}

/* A kernel loop that never ends, with interrupts on (the timer keeps
 * preempting it, and it keeps running: it is the only runnable thread). */
static void __attribute__((noinline)) hang_spin(void)
{
    for (volatile unsigned long n = 0;; n++)
        __asm__ volatile("pause");
}

static void selftest_hang(void)
{
    hang_spin();
    __asm__ volatile("");
}

/* Two threads take two locks in opposite orders, each waiting until the
 * other holds its first, so each then blocks on the other's lock for
 * ever; the main thread waits for them.  Every thread is blocked with
 * nothing pending: the kernel's deadlock check must report it, with both
 * threads' stacks (deadlock_take_second is where each waits). */
static struct lock deadlock_locks[2];
static struct semaphore deadlock_holds[2], deadlock_done;

static void __attribute__((noinline)) deadlock_take_second(int me)
{
    lock_acquire(&deadlock_locks[1 - me]);
    __asm__ volatile("");
}

static void deadlock_thread(void *aux)
{
    int me = (int)(long)aux;
    lock_acquire(&deadlock_locks[me]);
    sema_up(&deadlock_holds[me]);
    sema_down(&deadlock_holds[1 - me]);
    deadlock_take_second(me);
    sema_up(&deadlock_done);
}

static void selftest_deadlock(void)
{
    for (int i = 0; i < 2; i++) {
        lock_init(&deadlock_locks[i]);
        sema_init(&deadlock_holds[i], 0);
    }
    sema_init(&deadlock_done, 0);
    if (thread_create("deadlock-0", deadlock_thread, (void *)0L) == TID_ERROR
        || thread_create("deadlock-1", deadlock_thread, (void *)1L) == TID_ERROR) {
        st_fail("cannot create the threads");
        return;
    }
    sema_down(&deadlock_done);
    st_fail("the deadlocked threads went on");
}

static void selftest_triple(void)
{
    /* With an empty IDT every exception faults again: a triple fault. */
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = { 0, 0 };
    __asm__ volatile("cli; lidt %0; int3" : : "m"(empty));
}

/* The IDT's limit cut to vectors 0-7 while the kernel works on with
 * interrupts on: the timer's vector 0x20 lies beyond the limit, so its
 * delivery raises #GP, whose vector 13 lies beyond it too (#DF), whose
 * vector 8 does as well: a triple fault at whatever instruction the
 * timer interrupts.  The harness must name the cause (the chain and the
 * IDT's limit), not that instruction. */
static void __attribute__((noinline)) idt_cut_work(volatile unsigned long *n)
{
    for (int i = 0; i < 1000; i++)
        (*n)++;
}

static void selftest_idt_cut(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    idtr.limit = 8 * 16 - 1;
    __asm__ volatile("lidt %0" : : "m"(idtr));
    for (volatile unsigned long n = 0;;)
        idt_cut_work(&n);
}

/* The smallest run: boot, an empty test, power-off (for boot timing). */
static void selftest_trivial(void)
{
}

static void selftest_all(void);

static const struct {
    const char *name;
    void (*fn)(void);
    bool in_all;
} tests[] = {
    { "palloc", selftest_palloc, true },
    { "heap", selftest_heap, true },
    { "spt", selftest_spt, true },
    { "threads", selftest_threads, true },
    { "locks", selftest_locks, true },
    { "block", selftest_block, true },
    { "fs", selftest_fs, true },
    { "prot", selftest_prot, true },
    { "trivial", selftest_trivial, false },
    { "iobench", selftest_iobench, false },
    { "ioerror", selftest_ioerror, false },
    { "iotimeout", selftest_iotimeout, false },
    { "all", selftest_all, false },
    { "panic", selftest_panic, false },
    { "pf", selftest_pf, false },
    { "ud", selftest_ud, false },
    { "hang", selftest_hang, false },
    { "deadlock", selftest_deadlock, false },
    { "triple", selftest_triple, false },
    { "idt-cut", selftest_idt_cut, false },
    { "smep", selftest_smep, false },
    { "smap", selftest_smap, false },
    { "nx-data", selftest_nx_data, false },
    { "nx-stack", selftest_nx_stack, false },
    { "nx-dmap", selftest_nx_dmap, false },
    { "wp-text", selftest_wp_text, false },
};
#define N_TESTS (sizeof tests / sizeof *tests)

static void run_one(int i)
{
    current_name = tests[i].name;
    failures = 0;
    tests[i].fn();
    if (tests[i].fn != selftest_all)
        console_printf("(%s) %s\n", current_name, failures ? "FAIL" : "PASS");
}

static void selftest_all(void)
{
    for (size_t i = 0; i < N_TESTS; i++)
        if (tests[i].in_all)
            run_one(i);
}

bool selftest_run(const char *name)
{
    for (size_t i = 0; i < N_TESTS; i++) {
        if (strcmp(tests[i].name, name) == 0) {
            run_one(i);
            return true;
        }
    }
    return false;
}
