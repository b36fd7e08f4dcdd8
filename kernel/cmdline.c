/* Kernel command-line parsing (see cmdline.h).  Options are a table, so
 * a new option is one entry and one handler, never a new branch here. */
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/dev/poweroff.h"
#include "kernel/string.h"

/* The defaults of swap_cluster and swap_readahead (docs/vm.md says why). */
#define SWAP_CLUSTER_DEFAULT 16
#define SWAP_READAHEAD_DEFAULT 8
/* The default soft-lockup limit (docs/kernel.md, "Hangs"). */
#define LOCKUP_MS_DEFAULT 1000
/* The default disk-command timeout (docs/fs.md, section 1). */
#define ATA_TIMEOUT_MS_DEFAULT 5000

struct kernel_options kernel_options = {
    .swap_cluster = SWAP_CLUSTER_DEFAULT,
    .swap_readahead = SWAP_READAHEAD_DEFAULT,
    .strict = true,
    .lockup_ms = LOCKUP_MS_DEFAULT,
    .ata_timeout_ms = ATA_TIMEOUT_MS_DEFAULT,
};

/* A positive number into *OUT; false when V is missing or not one. */
static bool positive(const char *v, size_t *out)
{
    unsigned long n;
    if (!v || parse_ulong(v, &n) || n == 0)
        return false;
    *out = n;
    return true;
}

static bool opt_user_pages(const char *v) { return positive(v, &kernel_options.user_pages); }

static bool opt_kmem_limit(const char *v) { return positive(v, &kernel_options.kmem_limit); }

static bool opt_fail_alloc(const char *v) { return positive(v, &kernel_options.fail_alloc); }

/* A number of pages for one swap request into *OUT: 1 to
 * SWAP_PAGES_LIMIT; false when V is not one. */
static bool swap_pages(const char *v, size_t *out)
{
    size_t n;
    if (!positive(v, &n) || n > SWAP_PAGES_LIMIT)
        return false;
    *out = n;
    return true;
}

static bool opt_swap_cluster(const char *v) { return swap_pages(v, &kernel_options.swap_cluster); }

static bool opt_swap_readahead(const char *v)
{
    return swap_pages(v, &kernel_options.swap_readahead);
}

/* V is one of the words NO and YES: set *OUT to whether it is YES; false
 * when V is missing or neither. */
static bool either(const char *v, const char *no, const char *yes, bool *out)
{
    if (!v || (strcmp(v, no) != 0 && strcmp(v, yes) != 0))
        return false;
    *out = strcmp(v, yes) == 0;
    return true;
}

/* cow=1 (the default) or cow=0: fork copies every page at once. */
static bool opt_cow(const char *v) { return either(v, "1", "0", &kernel_options.eager_fork); }

/* console=folio (the default) or console=pintos. */
static bool opt_console(const char *v)
{
    return either(v, "folio", "pintos", &kernel_options.pintos_console);
}

/* ata=dma (the default) or ata=pio: disks by programmed I/O only. */
static bool opt_ata(const char *v) { return either(v, "dma", "pio", &kernel_options.ata_pio); }

/* ata_multiple=1 (the default) or ata_multiple=0: programmed I/O moves one
 * sector per interrupt (READ/WRITE SECTORS), as on a disk without
 * multiple mode. */
static bool opt_ata_multiple(const char *v) { return either(v, "1", "0", &kernel_options.ata_single); }

/* ata_timeout_ms=N: how long a disk command may take, ATA_TIMEOUT_MS_MIN
 * to ATA_TIMEOUT_MS_MAX milliseconds. */
static bool opt_ata_timeout_ms(const char *v)
{
    size_t n;
    if (!positive(v, &n) || n < ATA_TIMEOUT_MS_MIN || n > ATA_TIMEOUT_MS_MAX)
        return false;
    kernel_options.ata_timeout_ms = n;
    return true;
}

/* exit_yield=0 (the default) or exit_yield=1: for the test of the order
 * of shutdown. */
static bool opt_exit_yield(const char *v)
{
    return either(v, "0", "1", &kernel_options.exit_yield);
}

/* strict=1 (the default): an unknown option or a bad value refuses the
 * whole command line; strict=0: each is reported and ignored. */
static bool opt_strict(const char *v)
{
    return either(v, "0", "1", &kernel_options.strict);
}

/* hangcheck=on (the default) or hangcheck=off: no deadlock or soft-lockup
 * report, for the tests of the harness's own watchdog. */
static bool opt_hangcheck(const char *v)
{
    return either(v, "on", "off", &kernel_options.hangcheck_off);
}

/* lockup_ms=N: the soft-lockup limit in milliseconds. */
static bool opt_lockup_ms(const char *v) { return positive(v, &kernel_options.lockup_ms); }

/* fork_yield=0 (the default) or fork_yield=1: for the tests of halt
 * during a fork and of a child that ends before its fork returns. */
static bool opt_fork_yield(const char *v)
{
    return either(v, "0", "1", &kernel_options.fork_yield);
}

/* exe_close_delay=0 (the default) or exe_close_delay=1: for the test of
 * the order in which a process lets go of its image. */
static bool opt_exe_close_delay(const char *v)
{
    return either(v, "0", "1", &kernel_options.exe_close_delay);
}

static bool opt_debug(const char *v)
{
    static const struct { const char *name; unsigned bit; } topics[] = {
        { "vm", DBG_VM }, { "swap", DBG_SWAP }, { "proc", DBG_PROC },
        { "fs", DBG_FS }, { "block", DBG_BLOCK },
    };
    if (!v)
        return false;
    char buf[64], *save, *t;
    strlcpy(buf, v, sizeof buf);
    for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof topics / sizeof *topics; i++)
            if (strcmp(t, topics[i].name) == 0)
                break;
        if (i == sizeof topics / sizeof *topics)
            return false;
        debug_topics |= topics[i].bit;
    }
    return true;
}

static const struct option {
    const char *name;
    bool (*set)(const char *value);   /* false: malformed */
} options[] = {
    { "user_pages", opt_user_pages },
    { "kmem_limit", opt_kmem_limit },
    { "debug", opt_debug },
    { "cow", opt_cow },
    { "fail_alloc", opt_fail_alloc },
    { "console", opt_console },
    { "ata", opt_ata },
    { "ata_multiple", opt_ata_multiple },
    { "ata_timeout_ms", opt_ata_timeout_ms },
    { "swap_cluster", opt_swap_cluster },
    { "swap_readahead", opt_swap_readahead },
    { "exit_yield", opt_exit_yield },
    { "strict", opt_strict },
    { "hangcheck", opt_hangcheck },
    { "lockup_ms", opt_lockup_ms },
    { "fork_yield", opt_fork_yield },
    { "exe_close_delay", opt_exe_close_delay },
};

/* Set option WORD (`NAME` or `NAME=VALUE`, modified in place); return
 * false, after naming it on the console, when the option is unknown or
 * its value is bad.  Whether that refuses the command line is decided
 * once every option is read (strict may come last). */
static bool apply(char *word)
{
    char *value = strchr(word, '=');
    if (value)
        *value++ = '\0';
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        if (strcmp(word, options[i].name) != 0)
            continue;
        if (options[i].set(value))
            return true;
        console_printf("folio: bad value '%s' for option '%s'\n",
                       value ? value : "", word);
        return false;
    }
    console_printf("folio: unknown option '%s'\n", word);
    return false;
}

/* After the options: with BAD of them unknown or malformed, refuse the
 * command line (QEMU exits with status 39) unless strict=0 asked to
 * ignore them. */
static void judge_options(int bad)
{
    if (bad == 0)
        return;
    if (!kernel_options.strict) {
        console_printf("folio: %d bad option%s ignored (strict=0)\n", bad,
                       bad == 1 ? "" : "s");
        return;
    }
    console_printf("folio: command line refused: %d bad option%s "
                   "(strict=0 ignores them)\n", bad, bad == 1 ? "" : "s");
    power_off_refused();
}

/* Return S past any spaces. */
static char *skip_spaces(char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

void cmdline_parse(char *s)
{
    s = skip_spaces(s);
    int bad = 0;
    while (*s) {
        char *word = s;
        while (*s && *s != ' ')
            s++;
        char *rest = *s ? s + 1 : s;
        *s = '\0';
        if (strcmp(word, "run") == 0) {
            kernel_options.run = rest;   /* the rest, spaces kept */
            break;
        }
        if (strcmp(word, "selftest") == 0) {
            kernel_options.selftest = skip_spaces(rest);
            break;
        }
        if (!apply(word))
            bad++;
        s = skip_spaces(rest);
    }
    judge_options(bad);
}
