/* Eviction (mm/evict.c): the page layer's half of taking frames back when
 * the user pool is exhausted.  The frame table (mm/frame.c) owns the
 * clock and its frame-level rules; which holders' contents go where, and
 * how, is the pages' business, so frame_alloc calls page_evict: the one
 * call in the VM layer that runs upwards, from the frame table to the
 * pages it serves (docs/vm.md, "Eviction"). */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include <stdint.h>

struct frame;

/* The eviction callback of frame_alloc: evict a batch of frames, none of
 * working set KEEP (docs/vm.md, "Out of memory"), keep one for the caller
 * and free the others for the allocations that follow; NULL when nothing
 * could be evicted.  The frame returned holds no page and no pin.  VM
 * lock held (asserted); sleeps on the disks. */
struct frame *page_evict(uint64_t keep);

#endif
