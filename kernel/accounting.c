/* Resource accounting (see accounting.h).  The four resources the
 * harness checks come first, in a fixed order; registered resources and
 * counters follow. */
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/palloc.h"

#define MAX_KEYS 32

struct key {
    const char *name;
    accounting_read_fn *read;
};

/* The running maxima (accounting_register_max), reported after the
 * counters. */
struct max_key {
    const char *name;
    uint64_t *value;
};

static size_t zero(void) { return 0; }

static struct key resources[MAX_KEYS] = {
    { "user_frames", palloc_user_used },
    { "swap_slots", zero },            /* replaced by the swap layer */
    { "heap_bytes", kmalloc_bytes_in_use },
    { "kernel_pages", palloc_kernel_used },
};
static int n_resources = 4;
static struct key counters[MAX_KEYS];
static int n_counters;
static accounting_trim_fn *trims[MAX_KEYS];
static int n_trims;
static struct max_key maxima[MAX_KEYS];
static int n_maxima;

/* See accounting.h.  Boot. */
void accounting_register_max(const char *key, uint64_t *value)
{
    if (n_maxima < MAX_KEYS)
        maxima[n_maxima++] = (struct max_key){ key, value };
}

void accounting_register_trim(accounting_trim_fn *trim)
{
    if (n_trims < MAX_KEYS)
        trims[n_trims++] = trim;
}

static void trim_all(void)
{
    for (int i = 0; i < n_trims; i++)
        trims[i]();
}

static void add(struct key *keys, int *n, const char *name, accounting_read_fn *read)
{
    for (int i = 0; i < *n; i++) {
        if (strcmp(keys[i].name, name) == 0) {
            keys[i].read = read;
            return;
        }
    }
    if (*n < MAX_KEYS)
        keys[(*n)++] = (struct key){ name, read };
}

void accounting_register_resource(const char *key, accounting_read_fn *read)
{
    add(resources, &n_resources, key, read);
}

void accounting_register_counter(const char *key, accounting_read_fn *read)
{
    add(counters, &n_counters, key, read);
}

/* Append " key=value" for each of N KEYS to LINE at *LEN. */
static void append(char *line, size_t size, int *len, const struct key *keys, int n)
{
    for (int i = 0; i < n && *len < (int)size; i++)
        *len += snprintf(line + *len, size - *len, " %s=%zu", keys[i].name, keys[i].read());
}

void accounting_baseline(void)
{
    char line[512];
    int len = 0;
    trim_all();
    append(line, sizeof line, &len, resources, n_resources);
    printk("baseline:%s\n", line);
    for (int i = 0; i < n_maxima; i++)
        *maxima[i].value = 0;
}

void accounting_report(void)
{
    char line[1024];
    int len = 0;
    trim_all();
    append(line, sizeof line, &len, resources, n_resources);
    append(line, sizeof line, &len, counters, n_counters);
    for (int i = 0; i < n_maxima && len < (int)sizeof line; i++)
        len += snprintf(line + len, sizeof line - len, " %s=%lu", maxima[i].name,
                        *maxima[i].value);
    printk("accounting:%s\n", line);
}
