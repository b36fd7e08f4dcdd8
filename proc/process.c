/* User processes (see process.h): creation, exec, fork, wait and exit. */
#include "proc/process.h"
#include "fs/file.h"
#include "fs/filesys.h"
#include "fs/inode.h"
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/gdt.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "kernel/kmalloc.h"
#include "kernel/inject.h"
#include "kernel/layout.h"
#include "proc/elf.h"
#include "proc/syscall.h"

static struct lock process_lock;
static struct list all_processes;
static struct condition all_gone;     /* signalled when the list empties */
static pid_t next_pid = 1;
/* Set once, by the first halt, under the process lock: from then on no
 * process is created and none returns to user mode (process_halt).  Read
 * without the lock: a bool written once, on the one CPU. */
static volatile bool halting;

/* What a new process thread needs to start: a command line to load, or
 * a parent's register frame to return through (fork). */
struct start_info {
    struct process *p;
    char *cmdline;
    struct intr_frame *frame;
};

/* thread_switch_hook: runs in the new thread after every switch,
 * interrupts off.  The CPU must find this thread's kernel stack on entry
 * from user mode (TSS and syscall), and its page tables must be loaded.
 * No lock may be taken here. */
static void on_switch(struct thread *next)
{
    uint64_t top = thread_stack_top(next);
    tss_set_rsp0(top);
    syscall_set_kernel_stack(top);
    vm_activate(next->process ? &next->process->vm : NULL);
}

/* See process.h: the last step of every way back to user mode.  Ends
 * the running process with -1 when it was told to (killed) or the machine
 * is halting.  The check runs with interrupts off, and they stay off
 * until the CPU is in user mode, so no halt can begin between the check
 * and the return.  No lock held; returns with interrupts off. */
void process_check_return(void)
{
    intr_disable();
    struct process *p = process_current();
    if (p->killed || halting) {
        intr_enable();
        process_exit(-1);
    }
}

/* vm_oom_kill_hook (mm/vm.h): the out-of-memory killer chose VICTIM's
 * process, footprint FP, for a fault of FAULTER's: mark it killed (it
 * ends at its next return to user mode) and log why.  VM lock held: no
 * lock taken, nothing sleeps. */
static void oom_kill(struct vm *victim, struct vm *faulter, const struct vm_footprint *fp)
{
    struct process *v = (struct process *)((char *)victim - offsetof(struct process, vm));
    struct process *f = (struct process *)((char *)faulter - offsetof(struct process, vm));
    v->killed = true;
    printk("oom: killed %s (pid %d): footprint %zu pages (%zu frames, %zu swap slots, "
           "%zu pages of kernel memory), the largest, for a fault of %s (pid %d)\n",
           v->name, v->pid, fp->total, fp->frames, fp->slots, fp->kmem_pages, f->name, f->pid);
}

/* intr_user_return_hook: before any interrupt returns to user mode.
 * Interrupts as the handler left them; no lock held. */
static void check_killed(struct intr_frame *f)
{
    (void)f;
    if (thread_current()->process)
        process_check_return();
}

/* Leave for user mode through FRAME (a new image's or a forked child's
 * first entry), unless the process must end instead.  No lock held. */
static void __attribute__((noreturn)) enter_user(struct intr_frame *frame)
{
    process_check_return();
    process_enter_user(frame);
}

/* Boot, before any process: the process list and the hooks the kernel
 * calls.  kernel/main.c enables system calls and user traps (syscall_init,
 * trap_init) beside it. */
void process_init(void)
{
    lock_init(&process_lock);
    list_init(&all_processes);
    cond_init(&all_gone);
    thread_switch_hook = on_switch;
    intr_user_return_hook = check_killed;
    vm_oom_kill_hook = oom_kill;
}

/* The process of the running thread, which must have one.  No lock: a
 * thread's process changes only on that thread. */
struct process *process_current(void)
{
    struct process *p = thread_current()->process;
    ASSERT(p != NULL);
    return p;
}

/* Drop one reference to REC, freeing it with the last.  Process lock held. */
static void rec_put(struct child_rec *rec)
{
    ASSERT(lock_held_by_current_thread(&process_lock));
    if (--rec->refs == 0)
        kfree(rec);
}

/* A new process named NAME, its child record shared with the caller (refs
 * 2), linked into the process list; NULL when out of memory or when the
 * machine is halting (checked under the lock that process_halt sets it
 * under, so no process joins the list after halt began).  Takes the
 * process lock. */
static struct process *process_new(const char *name)
{
    struct process *p = kzalloc(sizeof *p);
    struct child_rec *rec = kzalloc(sizeof *rec);
    if (!p || !rec)
        goto fail;
    strlcpy(p->name, name, sizeof p->name);
    list_init(&p->children);
    sema_init(&rec->done, 0);
    rec->refs = 2;
    p->rec = rec;
    lock_acquire(&process_lock);
    if (halting) {
        lock_release(&process_lock);
        goto fail;
    }
    p->pid = rec->pid = next_pid++;
    list_push_back(&all_processes, &p->elem);
    lock_release(&process_lock);
    return p;

fail:
    kfree(rec);
    kfree(p);
    return NULL;
}

/* Free P's program image: its address space, then its executable, which
 * may then be written again.  In that order: read-only pages of an
 * executable are shared through the frame table by inode and address, so
 * while any frame of this image is left an exec of the same file would
 * get it, whatever a write that the lifted deny let through had changed
 * (test rox-drop).  Run by P's own thread (exec, exit) or, for a process
 * whose thread never ran, by its creator.  Process lock not held
 * (vm_destroy takes the VM lock). */
static void drop_image(struct process *p)
{
    if (p->thread == thread_current())
        vm_activate(NULL);                  /* not the tables about to go */
    vm_destroy(&p->vm);
    if (p->exe) {
        file_close(p->exe);
        p->exe = NULL;
        /* exe_close_delay=1: an exiting process (its thread no longer
         * names it) sleeps here, where others may write the file. */
        if (kernel_options.exe_close_delay && p->thread == thread_current()
            && !thread_current()->process)
            timer_sleep(20);
    }
}

/* Free everything P holds but the struct itself and its child record: its
 * descriptors (a half-built table included) and its image.  Process lock
 * not held. */
static void release_resources(struct process *p)
{
    if (p->fds.slots)
        fd_close_all(&p->fds);
    inode_close(p->cwd);
    p->cwd = NULL;
    drop_image(p);
}

/* Take P off the process list; process_run, waiting for the list to empty,
 * wakes when P was the last.  Process lock held (asserted). */
static void unlink_process(struct process *p)
{
    ASSERT(lock_held_by_current_thread(&process_lock));
    list_remove(&p->elem);
    if (list_empty(&all_processes))
        cond_broadcast(&all_gone, &process_lock);
}

/* Undo process_new for a process whose thread never ran: free what it
 * holds (any part of it may be missing), its record and P.  Takes the
 * process lock. */
static void process_discard(struct process *p)
{
    release_resources(p);
    lock_acquire(&process_lock);
    unlink_process(p);
    kfree(p->rec);
    lock_release(&process_lock);
    kfree(p);
}

/* Split CMDLINE in place on runs of spaces into ARGV (at most MAX words);
 * returns the count.  No lock. */
static int split_args(char *cmdline, char **argv, int max)
{
    int argc = 0;
    char *save, *w;
    for (w = strtok_r(cmdline, " ", &save); w && argc < max; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    return argc;
}

static uint64_t fill_stack(char *page, uint64_t base, int argc, char **argv, uint64_t *uargv);

/* Build the initial stack in VM: strings, padding, argv[] with a NULL end,
 * a fake return address.  Returns the user rsp (8 mod 16, as after a call)
 * and the user address of argv, or 0 when it does not fit or no memory is
 * left.  Takes the VM lock (through vm_add_zero_page and vm_pin), never
 * holding it on return. */
static uint64_t build_stack(struct vm *vm, int argc, char **argv, uint64_t *uargv)
{
    uint64_t base = USER_STACK - PGSIZE;
    if (!vm_add_zero_page(vm, base, true, false))
        return 0;
    char *page = vm_pin(vm, base, true, base, NULL);
    if (!page)
        return 0;
    uint64_t rsp = fill_stack(page, base, argc, argv, uargv);
    vm_unpin(vm, base);
    return rsp;
}

/* Lay the arguments out in PAGE, the kernel alias of user page BASE
 * (pinned); returns the user rsp, or 0 when they do not fit.  No lock. */
static uint64_t fill_stack(char *page, uint64_t base, int argc, char **argv, uint64_t *uargv)
{
    size_t off = PGSIZE;
    uint64_t ptrs[argc + 1];
    for (int i = argc - 1; i >= 0; i--) {
        size_t len = strlen(argv[i]) + 1;
        if (len + (argc + 4) * 8 > off)
            return 0;
        off -= len;
        memcpy(page + off, argv[i], len);
        ptrs[i] = base + off;
    }
    ptrs[argc] = 0;
    off &= ~7UL;
    size_t table = (argc + 1) * 8;
    if ((off - table - 8) % 16 != 8)
        off -= 8;                      /* so rsp ends 8 mod 16 */
    off -= table;
    memcpy(page + off, ptrs, table);
    *uargv = base + off;
    off -= 8;
    *(uint64_t *)(page + off) = 0;     /* fake return address */
    return base + off;
}

/* Load the program named by CMDLINE (a kmalloc'd buffer that this function
 * consumes) into a new address space of P, the running process, and enter
 * it.  Returns only on failure, having said why (on the console for a
 * program that cannot be opened, on the kernel log otherwise).  The old
 * image is gone by then, unless the command line was empty or the program
 * could not be opened: those return before it is dropped.  No lock
 * held. */
static void load_and_enter(struct process *p, char *cmdline)
{
    char *argv[128];
    int argc = split_args(cmdline, argv, 127);
    if (argc == 0) {
        printk("load: empty command line\n");
        kfree(cmdline);
        return;
    }
    struct file *f = filesys_open_at(p->cwd, argv[0]);
    if (!f) {
        console_printf("load: %s: open failed\n", argv[0]);
        kfree(cmdline);
        return;
    }
    /* The old image goes now: a failed exec ends the process anyway.  Its
     * mappings go with it, so a program that this process alone maps
     * writable can be run. */
    drop_image(p);
    p->exe = f;

    uint64_t entry, uargv = 0, rsp = 0;
    const char *err = "mapped writable by a process";
    if (!file_deny_write(f))           /* see file_map_writable */
        goto fail;
    err = "out of memory";
    if (!vm_create(&p->vm))
        goto fail;
    if ((err = elf_load(f, &p->vm, &entry)) != NULL)
        goto fail;
    err = "arguments do not fit on the stack (or no memory for it)";
    if (!(rsp = build_stack(&p->vm, argc, argv, &uargv)))
        goto fail;
    kfree(cmdline);                    /* argv now lives on the user stack */
    vm_activate(&p->vm);
    thread_fpu_reset();                /* nothing of the old image's x87/SSE state */

    struct intr_frame frame = {
        .rip = entry, .cs = SEL_UCODE, .rflags = 0x202, .rsp = rsp, .ss = SEL_UDATA,
        .rdi = argc, .rsi = uargv,
    };
    enter_user(&frame);

fail:
    printk("load: %s: %s\n", argv[0], err);
    kfree(cmdline);
}

/* The first process's thread: descriptors, then load and enter the
 * program.  Interrupts on, no lock held. */
static void start_first(void *aux)
{
    struct start_info *si = aux;
    struct process *p = si->p;
    char *cmdline = si->cmdline;
    kfree(si);
    p->thread = thread_current();
    thread_current()->process = p;
    if (fd_init(&p->fds))
        load_and_enter(p, cmdline);
    else
        kfree(cmdline);
    process_exit(-1);
}

/* See process.h.  Runs in the main thread, no lock held; sleeps until
 * every process has ended. */
void process_run(const char *cmdline)
{
    char name[PROC_NAME_MAX];
    size_t i = 0;
    while (cmdline[i] == ' ')
        i++;
    size_t n = 0;
    while (cmdline[i + n] && cmdline[i + n] != ' ' && n < sizeof name - 1)
        n++;
    memcpy(name, cmdline + i, n);
    name[n] = '\0';

    struct process *p = NULL;
    struct start_info *si = NULL;
    char *copy = NULL;
    const char *step;                 /* what failed, for the kernel log */
    step = "process";
    if (!(p = process_new(name)))
        goto fail;
    step = "start record";
    if (!(si = kmalloc(sizeof *si)))
        goto fail;
    step = "copy of the command line";
    if (!(copy = kmalloc(strlen(cmdline) + 1)))
        goto fail;
    strlcpy(copy, cmdline, strlen(cmdline) + 1);
    *si = (struct start_info){ p, copy, NULL };
    struct child_rec *rec = p->rec;
    step = "thread";
    if (thread_create(name, start_first, si) == TID_ERROR)
        goto fail;
    /* Wait for the first process, then for every other one to end, then
     * for their threads' stacks to be freed: the last process leaves the
     * list before its thread ends, and the accounting that follows must
     * not count that stack (process threads are the only threads that
     * thread_create made, besides idle). */
    sema_down(&rec->done);
    lock_acquire(&process_lock);
    rec_put(rec);
    while (!list_empty(&all_processes))
        cond_wait(&all_gone, &process_lock);
    lock_release(&process_lock);
    thread_wait_all_freed();
    return;

fail:
    printk("run: no %s: nothing runs\n", step);
    kfree(si);
    kfree(copy);
    if (p)
        process_discard(p);
}

/* See process.h: prints the exit line (unless halting), frees everything
 * the process holds, publishes STATUS to its parent, releases its
 * children's records and ends the thread.  Called by the process's own
 * thread with no lock held and interrupts on. */
void process_exit(int status)
{
    struct thread *t = thread_current();
    struct process *p = process_current();
    if (!halting)
        console_printf("%s: exit(%d)\n", p->name, status);

    t->process = NULL;                  /* a switch back installs no tables of P */
    release_resources(p);

    lock_acquire(&process_lock);
    p->rec->status = status;
    p->rec->exited = true;
    sema_up(&p->rec->done);
    rec_put(p->rec);
    while (!list_empty(&p->children))
        rec_put(list_entry(list_pop_front(&p->children), struct child_rec, elem));
    unlink_process(p);
    lock_release(&process_lock);
    kfree(p);
    /* exit_yield=1: let every other ready thread run here, as a timer
     * interrupt may make this thread do, so that a test sees the order
     * of shutdown at its worst: the process gone from the list, its
     * thread and stack not yet. */
    if (kernel_options.exit_yield)
        thread_yield();
    thread_exit();
}

/* See process.h: the exit status of child PID, once, or -1 when PID is not
 * a child not yet waited for.  Takes the process lock; sleeps until the
 * child exits. */
int process_wait(pid_t pid)
{
    struct process *p = process_current();
    struct child_rec *rec = NULL;
    lock_acquire(&process_lock);
    for (struct list_elem *e = list_begin(&p->children); e != list_end(&p->children); e = list_next(e))
        if (list_entry(e, struct child_rec, elem)->pid == pid) {
            rec = list_entry(e, struct child_rec, elem);
            list_remove(e);
            break;
        }
    lock_release(&process_lock);
    if (!rec)
        return -1;
    sema_down(&rec->done);
    int status = rec->status;
    lock_acquire(&process_lock);
    rec_put(rec);
    lock_release(&process_lock);
    return status;
}

/* A forked child's thread: enter user mode through a copy of the parent's
 * frame, with rax 0.  No lock. */
static void start_forked(void *aux)
{
    struct start_info *si = aux;
    struct process *p = si->p;
    struct intr_frame frame = *si->frame;
    kfree(si->frame);
    kfree(si);
    p->thread = thread_current();
    thread_current()->process = p;
    vm_activate(&p->vm);
    enter_user(&frame);
}

/* See process.h: a copy of the running process, returning to user mode as
 * the parent's frame F says, with rax 0.  The child's pid, or PID_ERROR
 * after logging which step failed.  Called by the process's own thread
 * with no lock held; takes the process lock and the VM lock in turn, never
 * both. */
pid_t process_fork(const char *name, const struct intr_frame *f)
{
    struct process *parent = process_current();
    struct process *c = NULL;
    struct start_info *si = NULL;
    struct intr_frame *frame = NULL;
    const char *step;                 /* what failed, for the kernel log */
    inject_start();                   /* fail_alloc=N: from the first fork on */
    /* fork_yield=1: let every other ready thread run here, as a timer
     * interrupt or a wait for a lock may make this thread do, so that a
     * test sees a halt begin while forks are under way, their child not
     * yet made (and again once the child's thread exists, below). */
    if (kernel_options.fork_yield)
        thread_yield();

    step = "process (out of memory, or halting)";
    if (!(c = process_new(name)))
        goto fail;
    step = "start record";
    if (!(si = kmalloc(sizeof *si)))
        goto fail;
    step = "register frame";
    if (!(frame = kmalloc(sizeof *frame)))
        goto fail;
    step = "address space";
    if (!vm_create(&c->vm))
        goto fail;
    step = "address-space copy (out of memory, or under fork's reserve of frames)";
    if (!vm_copy(&c->vm, &parent->vm))
        goto fail;
    step = "descriptor table";
    if (!fd_fork(&c->fds, &parent->fds))
        goto fail;
    step = "handle on the executable";   /* with the parent's deny on it */
    if (parent->exe && !(c->exe = file_duplicate(parent->exe)))
        goto fail;
    c->cwd = inode_reopen(parent->cwd);   /* takes no memory: cannot fail */
    *frame = *f;
    frame->rax = 0;                   /* fork returns 0 in the child */
    *si = (struct start_info){ c, NULL, frame };

    /* The child's pid is read now: once its thread exists the child may
     * run, exit and free C before this thread runs again (fork_yield=1
     * below, or a timer interrupt). */
    pid_t pid = c->pid;
    lock_acquire(&process_lock);
    list_push_back(&parent->children, &c->rec->elem);
    lock_release(&process_lock);
    step = "thread";
    if (thread_create(name, start_forked, si) == TID_ERROR) {
        lock_acquire(&process_lock);
        list_remove(&c->rec->elem);
        lock_release(&process_lock);
        goto fail;
    }
    /* fork_yield=1: the child runs now, as a timer interrupt may make it
     * do, and may end before its parent returns. */
    if (kernel_options.fork_yield)
        thread_yield();
    return pid;

fail:
    printk("fork: %s (pid %d): no %s: fork fails\n", parent->name, parent->pid, step);
    kfree(si);
    kfree(frame);
    if (c)
        process_discard(c);
    return PID_ERROR;
}

/* See process.h.  No lock held. */
void process_exec(char *cmdline)
{
    load_and_enter(process_current(), cmdline);   /* returns only on failure */
    process_exit(-1);
}

/* See process.h: from now on the machine is halting, so that every
 * process ends, without an exit line, at its next return to user mode
 * (process_check_return) or while it waits for console input, none is
 * created, and the caller ends with 0.  Takes the process lock. */
void process_halt(void)
{
    lock_acquire(&process_lock);
    halting = true;
    lock_release(&process_lock);
    process_exit(0);
}

/* See process.h.  No lock: the flag is set once. */
bool process_told_to_end(void)
{
    return process_current()->killed || halting;
}
