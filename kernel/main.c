/* kmain: bring the kernel up in dependency order, run the action from
 * the command line inside the output frame, account, power off.  The
 * frame lines are the protocol of docs/interfaces.md section 3. */
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/dev/poweroff.h"
#include "kernel/gdt.h"
#include "kernel/hangcheck.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "kernel/accounting.h"
#include "kernel/kmalloc.h"
#include "kernel/pagetable.h"
#include "kernel/palloc.h"
#include "kernel/dev/ata.h"
#include "kernel/dev/block.h"
#include "kernel/dev/pci.h"
#include "fs/filesys.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "proc/trap.h"
#include "kernel/inject.h"
#include "mm/vm.h"

#define FOLIO_VERSION "0.1"

/* console=pintos: the lines Pintos's test scripts look for, printed on
 * the console (docs/interfaces.md, section 3).  Each is printed only
 * once its event has happened: the banner as soon as the command line
 * asks for it, "Boot complete." when every layer is up, the tick count on
 * the way to power-off, so never after a panic or a reset. */

/* N into BUF with commas between groups of three digits, as Pintos
 * prints its memory size. */
static void format_grouped(char *buf, size_t size, uint64_t n)
{
    if (n < 1000) {
        snprintf(buf, size, "%lu", n);
        return;
    }
    format_grouped(buf, size, n / 1000);
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, ",%03lu", n % 1000);
}

/* Pintos's first line, with the RAM the memory map lists. */
static void pintos_banner(void)
{
    char kb[32];
    format_grouped(kb, sizeof kb, bootinfo_ram_bytes() / 1024);
    console_printf("Pintos booting with %s kB RAM...\n", kb);
}

static void run_action(void)
{
    const char *test = kernel_options.selftest, *run = kernel_options.run;
    const char *prefix = test ? "selftest " : "";
    const char *what = test ? test : run ? run : "";

    console_printf("Executing '%s%s':\n", prefix, what);
    accounting_baseline();
    if (test && !selftest_run(test))
        printk("selftest: no test named '%s'\n", test);
    else if (run)
        process_run(run);
    console_printf("Execution of '%s%s' complete.\n", prefix, what);
}

void kmain(uint32_t magic, uint64_t mbi)
{
    console_init();
    console_printf("Folio " FOLIO_VERSION " x86-64 kernel booting\n");
    printk("Folio " FOLIO_VERSION " kernel log\n");
    if (bootinfo_parse(magic, mbi) < 0)
        PANIC("not started by a multiboot2 or PVH loader (magic 0x%x)", magic);
    printk("booted by %s; command line: '%s'\n", bootinfo.protocol, bootinfo.cmdline);
    if (bootinfo.cmdline_truncated)
        console_printf("folio: command line cut to its first %d bytes\n", BOOT_CMDLINE_MAX - 1);

    gdt_init();
    intr_init();
    cpu_init();
    thread_init();
    pagetable_init();
    cmdline_parse(bootinfo.cmdline);
    hangcheck_init();
    if (kernel_options.pintos_console)
        pintos_banner();
    palloc_init(kernel_options.user_pages);
    kmalloc_init();
    inject_init(kernel_options.fail_alloc);
    timer_init();
    process_init();
    syscall_init();
    trap_init();
    thread_start();
    pci_init();
    ata_init();
    block_init();
    vm_init();
    filesys_init();

    if (kernel_options.pintos_console)
        console_printf("Boot complete.\n");
    run_action();
    inject_stop();

    accounting_report();
    filesys_done();
    if (kernel_options.pintos_console)
        console_printf("Timer: %lld ticks\n", (long long)timer_ticks());
    console_printf("Powering off...\n");
    power_off();
}
