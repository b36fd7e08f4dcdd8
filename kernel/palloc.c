/* The physical page allocator (see palloc.h).
 *
 * One bitmap covers every page frame below the direct map's 4 GiB; a bit
 * is set when the frame is in use or not RAM.  Each pool owns a range of
 * frame numbers [lo, hi) and allocates first-fit from a rotating hint.
 *
 * Locking: the critical sections are short bitmap scans done with
 * interrupts off, so palloc works from any context, including the
 * scheduler freeing a dead thread's stack.  Zeroing and junk-filling run
 * outside them. */
#include "kernel/palloc.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/interrupt.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/inject.h"
#include "kernel/layout.h"
#include <stdbool.h>
#include <stdint.h>

#define MAX_PFN (1UL << 20)          /* 4 GiB of 4 KiB frames */
#define LOW_LIMIT 0x100000UL         /* never hand out the first MiB */

static uint64_t bitmap[MAX_PFN / 64];

struct pool {
    const char *name;
    uint64_t lo, hi;     /* frame numbers owned */
    uint64_t hint;       /* where the next search starts */
    size_t total, used;  /* usable frames, frames in use */
};

static struct pool kernel_pool = { .name = "kernel" };
static struct pool user_pool = { .name = "user" };

extern char _kernel_phys_start[], _kernel_phys_end[];

static bool test(uint64_t pfn) { return bitmap[pfn / 64] >> (pfn % 64) & 1; }
static void set(uint64_t pfn) { bitmap[pfn / 64] |= 1UL << (pfn % 64); }
static void clear(uint64_t pfn) { bitmap[pfn / 64] &= ~(1UL << (pfn % 64)); }

/* Mark frames overlapping [base, base+len) used (reserved) or free. */
static void mark(uint64_t base, uint64_t len, bool used)
{
    uint64_t first = used ? base / PGSIZE : pg_round_up(base) / PGSIZE;
    uint64_t last = used ? pg_round_up(base + len) / PGSIZE : (base + len) / PGSIZE;
    for (uint64_t pfn = first; pfn < last && pfn < MAX_PFN; pfn++)
        used ? set(pfn) : clear(pfn);
}

/* Free frames in [LO, HI).  Boot only, one thread. */
static size_t count_free(uint64_t lo, uint64_t hi)
{
    size_t n = 0;
    for (uint64_t pfn = lo; pfn < hi; pfn++)
        n += !test(pfn);
    return n;
}

/* One past the highest frame of usable RAM (at most MAX_PFN): no frame
 * at or above it is free, so the scans of palloc_init stop there instead
 * of testing all of MAX_PFN's million bits one by one, which took most of
 * a trivial boot's kernel time under TCG.  Boot only, one thread. */
static uint64_t usable_top(void)
{
    uint64_t top = 0;
    for (int i = 0; i < bootinfo.n_usable; i++) {
        uint64_t end = (bootinfo.usable[i].base + bootinfo.usable[i].len) / PGSIZE;
        if (end > top)
            top = end;
    }
    return top < MAX_PFN ? top : MAX_PFN;
}

/* Split usable RAM: the kernel pool takes the lower half of the usable
 * frames, the user pool the rest, capped at USER_LIMIT frames when that
 * is non-zero (frames beyond the cap belong to no pool). */
void palloc_init(size_t user_limit)
{
    memset(bitmap, 0xff, sizeof bitmap);
    for (int i = 0; i < bootinfo.n_usable; i++)
        mark(bootinfo.usable[i].base, bootinfo.usable[i].len, false);
    mark(0, LOW_LIMIT, true);
    mark((uint64_t)_kernel_phys_start, _kernel_phys_end - _kernel_phys_start, true);
    for (int i = 0; i < bootinfo.n_reserved; i++)
        mark(bootinfo.reserved[i].base, bootinfo.reserved[i].len, true);

    uint64_t top = usable_top();
    size_t usable = count_free(0, top);
    size_t want_kernel = usable / 2, seen = 0;
    uint64_t split = 0;
    for (uint64_t pfn = 0; pfn < top && seen < want_kernel; pfn++) {
        seen += !test(pfn);
        split = pfn + 1;
    }
    kernel_pool.lo = kernel_pool.hint = 0;
    kernel_pool.hi = split;
    kernel_pool.total = count_free(0, split);

    user_pool.lo = user_pool.hint = split;
    user_pool.hi = split;
    for (uint64_t pfn = split; pfn < top; pfn++)
        if (!test(pfn))
            user_pool.hi = pfn + 1;        /* end at the last usable frame */
    size_t user_total = count_free(split, user_pool.hi);
    if (user_limit && user_limit < user_total) {
        size_t kept = 0;
        uint64_t pfn = split;
        for (; pfn < user_pool.hi && kept < user_limit; pfn++)
            kept += !test(pfn);
        user_pool.hi = pfn;
        user_total = kept;
    }
    user_pool.total = user_total;
    printk("palloc: %zu usable pages, kernel pool %zu, user pool %zu%s\n",
           usable, kernel_pool.total, user_pool.total, user_limit ? " (capped)" : "");
}

/* Find and claim N consecutive free frames in P; returns the first frame
 * number or 0 (frame 0 is never free). */
static uint64_t pool_claim(struct pool *p, size_t n)
{
    enum intr_level old = intr_disable();
    uint64_t found = 0;
    for (int pass = 0; pass < 2 && !found; pass++) {
        uint64_t start = pass ? p->lo : p->hint, end = pass ? p->hint + n : p->hi;
        if (end > p->hi)
            end = p->hi;
        uint64_t run = 0;
        for (uint64_t pfn = start; pfn < end; pfn++) {
            run = test(pfn) ? 0 : run + 1;
            if (run == n) {
                found = pfn + 1 - n;
                break;
            }
        }
    }
    if (found) {
        for (uint64_t pfn = found; pfn < found + n; pfn++)
            set(pfn);
        p->used += n;
        p->hint = found + n < p->hi ? found + n : p->lo;
    }
    intr_set_level(old);
    return found;
}

/* N consecutive pages from the user pool (PAL_USER) or the kernel pool,
 * zeroed with PAL_ZERO; NULL when the pool has no such run or fail_alloc
 * injects a failure (kernel pool only, never with PAL_ASSERT), a panic
 * instead with PAL_ASSERT.  Any context: the bitmap changes with
 * interrupts off, the zeroing runs outside. */
void *palloc_get_multiple(enum palloc_flags flags, size_t n)
{
    struct pool *p = (flags & PAL_USER) ? &user_pool : &kernel_pool;
    if (p == &kernel_pool && !(flags & PAL_ASSERT) && inject_fail())
        return NULL;
    uint64_t pfn = n ? pool_claim(p, n) : 0;
    if (!pfn) {
        if (flags & PAL_ASSERT)
            PANIC("out of %s pages (wanted %zu)", p->name, n);
        return NULL;
    }
    void *va = ptov(pfn * PGSIZE);
    if (flags & PAL_ZERO)
        memset(va, 0, n * PGSIZE);
    return va;
}

void *palloc_get_page(enum palloc_flags flags)
{
    return palloc_get_multiple(flags, 1);
}

/* Free N pages at PAGES (NULL is ignored), junk-filled first in debug
 * builds.  Any context: the bitmap changes with interrupts off. */
void palloc_free_multiple(void *pages, size_t n)
{
    if (!pages)
        return;
    ASSERT(pg_ofs(pages) == 0);
    uint64_t pfn = vtop(pages) / PGSIZE;
    struct pool *p = pfn >= user_pool.lo && pfn < user_pool.hi ? &user_pool : &kernel_pool;
    ASSERT(pfn >= p->lo && pfn + n <= p->hi);
#ifdef FOLIO_DEBUG
    memset(pages, 0xcc, n * PGSIZE);   /* junk: dangling users show at once */
#endif
    enum intr_level old = intr_disable();
    for (uint64_t i = pfn; i < pfn + n; i++) {
        ASSERT(test(i));
        clear(i);
    }
    p->used -= n;
    intr_set_level(old);
}

void palloc_free_page(void *page) { palloc_free_multiple(page, 1); }

size_t palloc_kernel_used(void) { return kernel_pool.used; }
size_t palloc_user_used(void) { return user_pool.used; }
size_t palloc_user_total(void) { return user_pool.total; }
size_t palloc_kernel_total(void) { return kernel_pool.total; }
size_t palloc_user_first_pfn(void) { return user_pool.lo; }
size_t palloc_user_span(void) { return user_pool.hi - user_pool.lo; }
