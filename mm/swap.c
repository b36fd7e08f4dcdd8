/* Swap slots (see swap.h). */
#include "mm/swap.h"
#include "kernel/accounting.h"
#include "kernel/console.h"
#include "kernel/dev/block.h"
#include "kernel/panic.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/vm.h"

#define SECTORS_PER_SLOT (PGSIZE / BLOCK_SECTOR_SIZE)

static struct block *disk;
static uint64_t *bitmap;
static uint16_t *holders;        /* per slot, while in use */
static size_t n_slots, used, hint;
static size_t n_outs, n_ins;

static size_t count_outs(void) { return n_outs; }
static size_t count_ins(void) { return n_ins; }

/* Boot, before any process: find the swap disk and size the bitmap;
 * without a disk (or memory for the bitmap) every swap_write fails.  No
 * lock. */
void swap_init(void)
{
    accounting_register_resource("swap_slots", swap_slots_used);
    accounting_register_counter("swap_outs", count_outs);
    accounting_register_counter("swap_ins", count_ins);
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

/* See swap.h.  VM lock held (asserted); sleeps on the disk. */
int64_t swap_write(const void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    if (used == n_slots)
        return -1;
    size_t s = hint;
    while (test(s))
        s = (s + 1) % n_slots;
    bitmap[s / 64] |= 1UL << (s % 64);
    holders[s] = 1;
    used++;
    hint = (s + 1) % n_slots;
    if (!block_write(disk, s * SECTORS_PER_SLOT, kva, SECTORS_PER_SLOT)) {
        swap_free(s);
        return -1;
    }
    n_outs++;
    return s;
}

/* See swap.h: false on an I/O error.  VM lock held (asserted); sleeps on
 * the disk. */
bool swap_read(int64_t slot, void *kva)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(slot >= 0 && (size_t)slot < n_slots && test(slot));
    if (!block_read(disk, slot * SECTORS_PER_SLOT, kva, SECTORS_PER_SLOT))
        return false;
    n_ins++;
    return true;
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
