/* The swap disk: page-sized slots on the disk in QEMU's swap position,
 * tracked by a bitmap.  A slot shared by copy-on-write holders has a
 * count: swap_dup() adds a holder, swap_free() drops one, and the slot is
 * free when the last goes.
 *
 * Locking: swap_write, swap_read, swap_free, swap_dup and swap_slots_free
 * run with the VM lock held (they assert it).  swap_init runs at boot,
 * before any process; swap_slots_used is the accounting's gauge, read
 * without the lock (one word, read once). */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void swap_init(void);
/* Write the page at KVA to a free slot; returns the slot, or -1 when the
 * disk is full or absent. */
int64_t swap_write(const void *kva);
/* Read SLOT into KVA (the slot stays allocated). */
bool swap_read(int64_t slot, void *kva);
void swap_free(int64_t slot);
int64_t swap_dup(int64_t slot);
size_t swap_slots_used(void);
size_t swap_slots_free(void);

#endif
