/* The swap disk: page-sized slots on the disk in QEMU's swap position,
 * tracked by a bitmap.  A slot shared by copy-on-write holders has a
 * count: swap_dup() adds a holder, swap_free() drops one, and the slot is
 * free when the last goes.
 *
 * Pages move in clusters: eviction writes a batch of pages to
 * consecutive slots in one request (swap_write_cluster), and a swap-in
 * reads a run of consecutive slots in one (swap_read_cluster).
 *
 * Locking: swap_write_cluster, swap_read_cluster, swap_free, swap_dup and
 * swap_slots_free run with the VM lock held (they assert it).  swap_init
 * runs at boot, before any process; swap_slots_used is the accounting's
 * gauge, read without the lock (one word, read once). */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/cmdline.h"

/* The most pages one swap request moves: the bound of the kernel options
 * swap_cluster and swap_readahead. */
#define SWAP_CLUSTER_MAX SWAP_PAGES_LIMIT

void swap_init(void);
/* Write the N (<= SWAP_CLUSTER_MAX) pages at KVAS[] to swap: to
 * consecutive slots wherever the free slots allow, in as few requests as
 * that takes (one when N free slots follow each other at the allocation
 * hint).  SLOTS[i] gets page i's slot, or -1 when it was not written: the
 * disk is full or absent, or the request carrying it failed (logged), and
 * then the slots of that request are free again at once.  Returns how
 * many pages were written. */
size_t swap_write_cluster(void *const kvas[], size_t n, int64_t slots[]);
/* Read the N (<= SWAP_CLUSTER_MAX) consecutive slots from FIRST on into
 * KVAS[] in one request (the slots stay allocated); false on an I/O
 * error, when any of the N pages may be wrong. */
bool swap_read_cluster(int64_t first, void *const kvas[], size_t n);
/* One page: swap_read_cluster(SLOT, &KVA, 1). */
bool swap_read(int64_t slot, void *kva);
void swap_free(int64_t slot);
int64_t swap_dup(int64_t slot);
size_t swap_slots_used(void);
size_t swap_slots_free(void);

#endif
