/* Swap slots (see swap.h). */
#include "mm/swap.h"
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/dev/block.h"
#include "kernel/panic.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "mm/vm_internal.h"

#define SECTORS_PER_SLOT (PGSIZE / BLOCK_SECTOR_SIZE)

static struct block *disk;
static uint64_t *bitmap;
static uint16_t *holders;        /* per slot, while in use */
static size_t n_slots, used, hint;
static size_t n_outs, n_ins, n_out_requests, n_in_requests;

static size_t count_outs(void) { return n_outs; }
static size_t count_ins(void) { return n_ins; }
static size_t count_out_requests(void) { return n_out_requests; }
static size_t count_in_requests(void) { return n_in_requests; }

/* Boot, before any process: find the swap disk and size the bitmap;
 * without a disk (or memory for the bitmap) every swap_write_cluster
 * writes nothing.  No lock. */
void swap_init(void)
{
    accounting_register_resource("swap_slots", swap_slots_used);
    accounting_register_counter("swap_outs", count_outs);
    accounting_register_counter("swap_ins", count_ins);
    accounting_register_counter("swap_out_requests", count_out_requests);
    accounting_register_counter("swap_in_requests", count_in_requests);
    disk = block_get_role(BLOCK_SWAP);
    if (!disk) {
        printk("swap: no swap disk\n");
        return;
    }
    n_slots = block_sectors(disk) / SECTORS_PER_SLOT;
    bitmap = kzalloc((n_slots + 63) / 64 * 8);
    holders = kzalloc(n_slots * sizeof *holders);
    if (!bitmap || !holders) {
        n_slots = 0;
        printk("swap: out of memory for the slot bitmap\n");
        return;
    }
    printk("swap: %s: %zu slots\n", block_name(disk), n_slots);
}

static bool test(size_t s) { return bitmap[s / 64] >> (s % 64) & 1; }

/* Allocate a run of free slots for up to WANT (>= 1) pages: the first
 * free slot at or after the hint (wrapping around), and the free slots
 * right after it, up to WANT of them and the end of the disk.  Returns
 * the first slot and its length in *LEN, or -1 when no slot is free.  The
 * hint moves past the run, so that a run whose write failed is not the
 * next one tried.  VM lock held. */
static int64_t alloc_run(size_t want, size_t *len)
{
    if (used == n_slots)
        return -1;
    size_t s = hint;
    while (test(s))
        s = (s + 1) % n_slots;
    size_t n = 0;
    while (n < want && s + n < n_slots && !test(s + n)) {
        bitmap[(s + n) / 64] |= 1UL << ((s + n) % 64);
        holders[s + n] = 1;
        n++;
    }
    used += n;
    hint = (s + n) % n_slots;
    *len = n;
    return s;
}

/* See swap.h.  VM lock held (asserted); sleeps on the disk. */
size_t swap_write_cluster(void *const kvas[], size_t n, int64_t slots[])
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(n <= SWAP_CLUSTER_MAX);
    size_t i = 0, written = 0;
    while (i < n) {
        size_t len;
        int64_t first = alloc_run(n - i, &len);
        if (first < 0)
            break;                          /* full: the rest stay resident */
        struct block_iov iov[SWAP_CLUSTER_MAX];
        for (size_t k = 0; k < len; k++)
            iov[k] = (struct block_iov){ kvas[i + k], SECTORS_PER_SLOT };
        n_out_requests++;
        bool ok = block_writev(disk, first * SECTORS_PER_SLOT, iov, len);
        if (!ok)
            printk("swap: write of slots %ld..%ld failed; their pages stay resident\n",
                   (long)first, (long)(first + len - 1));
        for (size_t k = 0; k < len; k++) {
            slots[i + k] = ok ? first + (int64_t)k : -1;
            if (!ok)
                swap_free(first + k);
        }
        written += ok ? len : 0;
        i += len;
    }
    for (; i < n; i++)
        slots[i] = -1;
    n_outs += written;
    return written;
}

/* See swap.h.  VM lock held (asserted); sleeps on the disk. */
bool swap_read_cluster(int64_t first, void *const kvas[], size_t n)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(n >= 1 && n <= SWAP_CLUSTER_MAX && first >= 0 && (size_t)first + n <= n_slots);
    struct block_iov iov[SWAP_CLUSTER_MAX];
    for (size_t k = 0; k < n; k++) {
        ASSERT(test(first + k));
        iov[k] = (struct block_iov){ kvas[k], SECTORS_PER_SLOT };
    }
    n_in_requests++;
    if (!block_readv(disk, first * SECTORS_PER_SLOT, iov, n))
        return false;
    n_ins += n;
    return true;
}

/* See swap.h.  VM lock held (asserted); sleeps on the disk. */
bool swap_read(int64_t slot, void *kva)
{
    return swap_read_cluster(slot, &kva, 1);
}

/* Drop one holder of SLOT; the slot is free when the last goes.  VM lock
 * held (asserted). */
void swap_free(int64_t slot)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(slot >= 0 && (size_t)slot < n_slots && test(slot));
    if (--holders[slot] > 0)
        return;
    bitmap[slot / 64] &= ~(1UL << (slot % 64));
    used--;
}

/* Add a holder to SLOT (a copy-on-write sharer); returns SLOT.  VM lock
 * held (asserted). */
int64_t swap_dup(int64_t slot)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(slot >= 0 && (size_t)slot < n_slots && test(slot));
    ASSERT(holders[slot] < UINT16_MAX);
    holders[slot]++;
    return slot;
}

size_t swap_slots_used(void) { return used; }
/* Slots not in use.  VM lock held (asserted), so that the count holds
 * while the caller acts on it. */
size_t swap_slots_free(void)
{
    ASSERT_DEBUG(vm_lock_held());
    return n_slots - used;
}
