/* Regions (vm_internal.h): the ranges of a process's address space whose
 * pages are made on first touch, one record for a whole range.  Each
 * mmap is one, and each loadable segment of the executable is one.
 *
 * A vm keeps its regions in an array of pointers sorted by address;
 * they never overlap, so the region holding an address is found by
 * binary search, and an overlap check is one search too.  Inserting or
 * removing one moves the pointers after it: time in the number of
 * regions, never in the length of a range.  Why an array rather than a
 * balanced tree: a process has a handful of regions (its segments and
 * its mmaps), a lookup is a search over contiguous memory with no
 * pointer chasing, and the memmove of an insertion costs less than a
 * tree's rebalancing at these sizes (docs/vm.md, "Regions").
 *
 * Every function runs with the VM lock held (asserted) unless it says
 * so. */
#include "fs/file.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* The index of the first region of VM that ends after VA (n_regions when
 * none).  VM lock held. */
static size_t first_ending_after(const struct vm *vm, uint64_t va)
{
    size_t lo = 0, hi = vm->n_regions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vm->regions[mid]->end <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* See vm_internal.h.  VM lock held (asserted). */
struct region *region_find(const struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    size_t i = first_ending_after(vm, va);
    if (i < vm->n_regions && vm->regions[i]->start <= va)
        return vm->regions[i];
    return NULL;
}

/* See vm_internal.h.  VM lock held (asserted). */
bool region_overlaps(const struct vm *vm, uint64_t start, uint64_t end)
{
    ASSERT_DEBUG(vm_lock_held());
    size_t i = first_ending_after(vm, start);
    return i < vm->n_regions && vm->regions[i]->start < end;
}

/* What R costs its process's kernel memory: the record and its file
 * handle. */
static size_t region_cost(const struct region *r)
{
    return sizeof *r + (r->file ? VM_FILE_HANDLE_COST : 0);
}

/* Make room in VM's array for one more region, charged to VM; false when
 * out of memory or at VM's limit.  The array doubles, so inserts cost
 * amortised O(1) allocation.  VM lock held. */
static bool reserve_one(struct vm *vm)
{
    if (vm->n_regions < vm->cap_regions)
        return true;
    size_t cap = vm->cap_regions ? 2 * vm->cap_regions : 8;
    size_t more = (cap - vm->cap_regions) * sizeof *vm->regions;
    if (!vm_charge(vm, more))
        return false;
    struct region **a = kmalloc(cap * sizeof *a);
    if (!a) {
        vm_uncharge(vm, more);
        return false;
    }
    if (vm->n_regions)
        memcpy(a, vm->regions, vm->n_regions * sizeof *a);
    kfree(vm->regions);
    vm->regions = a;
    vm->cap_regions = cap;
    return true;
}

/* See vm_internal.h.  VM lock held (asserted). */
bool region_insert(struct vm *vm, struct region *r)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(r->start < r->end && !pg_ofs(r->start) && !pg_ofs(r->end));
    if (region_overlaps(vm, r->start, r->end) || !vm_charge(vm, region_cost(r)))
        return false;
    if (!reserve_one(vm)) {
        vm_uncharge(vm, region_cost(r));
        return false;
    }
    size_t i = first_ending_after(vm, r->start);
    memmove(&vm->regions[i + 1], &vm->regions[i], (vm->n_regions - i) * sizeof *vm->regions);
    vm->regions[i] = r;
    vm->n_regions++;
    return true;
}

/* See vm_internal.h.  VM lock held (asserted). */
void region_remove(struct vm *vm, struct region *r)
{
    ASSERT_DEBUG(vm_lock_held());
    size_t i = first_ending_after(vm, r->start);
    ASSERT(i < vm->n_regions && vm->regions[i] == r);
    memmove(&vm->regions[i], &vm->regions[i + 1], (vm->n_regions - i - 1) * sizeof *vm->regions);
    vm->n_regions--;
    vm_uncharge(vm, region_cost(r));
}

/* See vm_internal.h.  No lock: R is in no table. */
void region_free(struct region *r)
{
    if (r)
        file_close(r->file);                /* NULL is ignored */
    kfree(r);
}

/* See vm_internal.h.  VM lock held (asserted). */
bool region_copy_all(struct vm *dst, const struct vm *src)
{
    ASSERT_DEBUG(vm_lock_held());
    ASSERT(dst->n_regions == 0);
    if (src->n_regions == 0)
        return true;
    size_t array = src->n_regions * sizeof *dst->regions;
    if (!vm_charge(dst, array))
        return false;
    if (!(dst->regions = kmalloc(array))) {
        vm_uncharge(dst, array);
        return false;
    }
    dst->cap_regions = src->n_regions;
    for (size_t i = 0; i < src->n_regions; i++) {
        const struct region *s = src->regions[i];
        if (!vm_charge(dst, region_cost(s)))
            return false;
        struct region *d = kmalloc(sizeof *d);
        if (!d) {
            vm_uncharge(dst, region_cost(s));
            return false;
        }
        *d = *s;
        d->file = NULL;
        /* S's count keeps denies off the inode, so map_writable succeeds. */
        if (s->file && (!(d->file = file_reopen(s->file))
                        || (s->writable && !file_map_writable(d->file)))) {
            region_free(d);
            vm_uncharge(dst, region_cost(s));
            return false;
        }
        dst->regions[dst->n_regions++] = d;   /* in SRC's order: sorted */
    }
    return true;
}

/* See vm_internal.h.  VM lock held (asserted). */
void region_destroy_all(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    for (size_t i = 0; i < vm->n_regions; i++) {
        vm_uncharge(vm, region_cost(vm->regions[i]));
        region_free(vm->regions[i]);
    }
    vm_uncharge(vm, vm->cap_regions * sizeof *vm->regions);
    kfree(vm->regions);
    vm->regions = NULL;
    vm->n_regions = vm->cap_regions = 0;
}

/* See vm_internal.h.  VM lock held (asserted). */
struct page *region_make_page(struct region *r, struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    va = pg_round_down(va);
    ASSERT(va >= r->start && va < r->end && !spt_find(vm, va));
    struct page *p = spt_add(vm, va, r->writable, r->ops);
    if (!p)
        return NULL;
    p->executable = r->executable;
    if (r->ops == &file_ops)
        mmap_page_init(p, r);
    return p;
}
