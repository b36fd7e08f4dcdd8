/* The kernel command line (docs/cmdline.md): options, then an action.
 * Parsed once at boot into kernel_options; later layers read it. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The bound of the options swap_cluster and swap_readahead: the most
 * pages one swap request moves (mm/swap.h's SWAP_CLUSTER_MAX). */
#define SWAP_PAGES_LIMIT 32

/* The bounds of the option ata_timeout_ms, milliseconds: the lower one
 * keeps a command's deadline five timer ticks away at least, so that a
 * host that runs the emulator late does not fail ordinary commands; the
 * upper one is a minute. */
#define ATA_TIMEOUT_MS_MIN 50
#define ATA_TIMEOUT_MS_MAX 60000

struct kernel_options {
    size_t user_pages;        /* user pool cap, 0 = none */
    size_t kmem_limit;        /* KiB of kernel memory one process may hold,
                                 0 = the default (mm/addrspace.c) */
    bool eager_fork;          /* cow=0: fork copies every page */
    size_t fail_alloc;        /* fail one kernel allocation in N, 0 = none */
    bool pintos_console;      /* console=pintos: Pintos's boot/halt lines too */
    bool ata_pio;             /* ata=pio: disks by programmed I/O only */
    bool ata_single;          /* ata_multiple=0: PIO one sector a block */
    size_t ata_timeout_ms;    /* a disk command that has not completed by
                                 then fails, and its channel is reset */
    size_t swap_cluster;      /* most pages one eviction writes out */
    size_t swap_readahead;    /* most pages one swap-in reads */
    bool exit_yield;          /* exit_yield=1: an ending process's thread
                                 yields between leaving the process list
                                 and ending (the shutdown-order test) */
    bool strict;              /* strict=0: bad options are ignored */
    bool hangcheck_off;       /* hangcheck=off: no deadlock or soft-lockup
                                 report (kernel/hangcheck.c) */
    size_t lockup_ms;         /* soft-lockup limit, milliseconds */
    bool fork_yield;          /* fork_yield=1: every fork yields before it
                                 makes the child and once its thread
                                 exists (the tests of halt during a fork
                                 and of a child ending before its fork
                                 returns) */
    bool exe_close_delay;     /* exe_close_delay=1: a process that drops
                                 its image at exit sleeps 50 ticks after
                                 closing its executable (the test of the
                                 order of that teardown) */
    const char *run;          /* command line to run, or NULL */
    const char *selftest;     /* self-test name, or NULL */
};

extern struct kernel_options kernel_options;

/* Parse CMDLINE (modified in place: it must stay alive).  Unknown or
 * malformed options are named on the console; then, unless strict=0 is
 * among the options, the machine ends with QEMU exit status 39
 * (power_off_refused). */
void cmdline_parse(char *cmdline);

#endif
