/* User processes: one kernel thread each, running a program in ring 3 in
 * its own address space (docs/abi.md is the contract they honour).
 *
 * Lifetime: a process and its parent share a struct child_rec that
 * carries the exit status; each side drops its reference when done
 * (the parent on wait or exit, the child on exit), and the last one frees
 * it, so orphans and zombies leak nothing.  process_lock guards the
 * process list and every child_rec. */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stdbool.h>
#include "kernel/interrupt.h"
#include "kernel/list.h"
#include "kernel/sync.h"
#include "mm/vm.h"
#include "proc/fd.h"

typedef int pid_t;
#define PID_ERROR ((pid_t)-1)
#define PROC_NAME_MAX 32
#define CMDLINE_MAX 4096

struct child_rec {
    pid_t pid;
    int status;
    bool exited, waited;
    int refs;                     /* parent + child */
    struct semaphore done;        /* upped once, when the child exits */
    struct list_elem elem;        /* parent's children */
};

struct process {
    pid_t pid;
    char name[PROC_NAME_MAX];
    struct vm vm;
    uint64_t user_rsp;            /* user rsp at the last system call */
    struct fdtable fds;
    struct file *exe;             /* running executable, denied for writing */
    struct inode *cwd;            /* working directory, open; NULL: the root */
    struct child_rec *rec;        /* shared with the parent */
    struct list children;         /* of struct child_rec */
    struct thread *thread;
    bool killed;                  /* exit with -1 at the next return to user */
    struct list_elem elem;        /* all processes */
};

void process_init(void);
/* Run CMDLINE as the first process and wait until every process has
 * ended and every process thread's stack has been freed, so that the
 * accounting after it sees everything back.  Called by kmain inside the
 * output frame. */
void process_run(const char *cmdline);
struct process *process_current(void);
void process_exit(int status) __attribute__((noreturn));
int process_wait(pid_t pid);
pid_t process_fork(const char *name, const struct intr_frame *f);
/* Replace the current program with CMDLINE (a kmalloc'd buffer, which
 * this consumes); on failure the caller ends with -1. */
void process_exec(char *cmdline) __attribute__((noreturn));
/* Power off once every process has ended: every other one ends at its
 * next return to user mode, without an exit line, and none is created
 * from now on (a fork under way fails). */
void process_halt(void) __attribute__((noreturn));
/* True when the running process must end at its next return to user mode
 * (killed, or the machine is halting): a long wait in a system call
 * stops early for it. */
bool process_told_to_end(void);
/* Every way back to user mode ends with this check: with interrupts off,
 * end the running process (-1) if it was killed or the machine is
 * halting; otherwise return with interrupts still off.  No lock held. */
void process_check_return(void);

#endif
