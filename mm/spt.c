/* The supplemental page table: a hash of blocks of page records (see
 * spt.h), and the VM lock that guards them and everything reached from
 * them (vm_internal.h). */
#include "mm/spt.h"
#include "kernel/accounting.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kcache.h"
#include "kernel/layout.h"
#include "mm/vm_internal.h"

struct lock vm_lock;

/* See vm_internal.h.  Any thread. */
bool vm_lock_held(void) { return lock_held_by_current_thread(&vm_lock); }

/* Blocks come from a cache: a fork or exit of a big process makes or
 * frees hundreds at a time.  The accounting trims it before it reads the
 * heap. */
static struct kcache blocks;

/* The accounting's trim: give every kept block back to the heap.  Takes
 * the VM lock (never held by the accounting). */
static void trim_blocks(void)
{
    lock_acquire(&vm_lock);
    kcache_trim(&blocks);
    lock_release(&vm_lock);
}

/* Boot: the block cache and its trim.  No lock: no process exists yet. */
void spt_init(void)
{
    kcache_init(&blocks, sizeof(struct spt_block), 512);
    accounting_register_trim(trim_blocks);
}

/* What a block costs its process's kernel memory: the heap page it takes
 * (spt.h). */
#define SPT_BLOCK_COST PGSIZE

static uint64_t block_base(uint64_t va) { return va & ~(SPT_BLOCK_SPAN - 1); }
static int block_index(uint64_t va) { return (va >> PGSHIFT) & (SPT_BLOCK_PAGES - 1); }

/* See spt.h: VM's empty table; false when out of memory.  No lock: a new
 * vm is its creator's alone. */
bool spt_create(struct vm *vm)
{
    return hash_init(&vm->spt);
}

/* See spt.h.  VM lock held (asserted). */
void spt_destroy(struct vm *vm)
{
    ASSERT_DEBUG(vm_lock_held());
    struct hash_iter it;
    struct spt_block *b = spt_first(vm, &it);
    while (b) {
        struct spt_block *next = spt_next(vm, &it);   /* step past B first */
        kcache_free(&blocks, b);
        vm_uncharge(vm, SPT_BLOCK_COST);
        b = next;
    }
    hash_destroy(&vm->spt);
}

/* The block of VM that holds VA, or NULL.  VM lock held. */
static struct spt_block *find_block(struct vm *vm, uint64_t va)
{
    struct hash_elem *e = hash_find(&vm->spt, block_base(va));
    return e ? hash_entry(e, struct spt_block, elem) : NULL;
}

/* A new block of VM at BASE, every record a hole, in VM's table; NULL when
 * out of memory.  VM lock held; the caller knows there is no block at
 * BASE. */
static struct spt_block *new_block(struct vm *vm, uint64_t base)
{
    if (!vm_charge(vm, SPT_BLOCK_COST))
        return NULL;
    struct spt_block *b = kcache_alloc(&blocks);
    if (!b) {
        vm_uncharge(vm, SPT_BLOCK_COST);
        return NULL;
    }
    b->elem.key = base;
    b->used = 0;
    for (int i = 0; i < SPT_BLOCK_PAGES; i++)
        b->page[i].ops = NULL;
    bool inserted = hash_insert(&vm->spt, &b->elem);
    ASSERT(inserted);                  /* callers make a block only where none is */
    return b;
}

/* See spt.h.  VM lock held (asserted). */
struct page *spt_find(struct vm *vm, uint64_t va)
{
    ASSERT_DEBUG(vm_lock_held());
    struct spt_block *b = find_block(vm, va);
    if (!b)
        return NULL;
    struct page *p = &b->page[block_index(va)];
    return p->ops ? p : NULL;
}

/* Make hole P a fresh record of VM's page VA: not resident, no swap slot,
 * kind data zeroed.  The caller counts it in its block.  VM lock held. */
static void record_init(struct page *p, struct vm *vm, uint64_t va, bool writable,
                        bool executable, const struct page_ops *ops)
{
    /* Field by field: a struct assignment would zero the record with
     * `rep stos`, which emulation runs one word at a time. */
    p->va = va;
    p->vm = vm;
    p->ops = ops;
    p->frame = NULL;
    p->writable = writable;
    p->executable = executable;
    p->dirty = false;
    p->slot = -1;
    p->mmap.mapping = NULL;                 /* the kind data: mmap spans the union */
    p->mmap.ofs = 0;
    p->mmap.bytes = 0;
    _Static_assert(sizeof p->mmap >= sizeof p->exec, "mmap must span the kind data");
}

/* See spt.h.  VM lock held (asserted). */
struct page *spt_add(struct vm *vm, uint64_t va, bool writable, const struct page_ops *ops)
{
    ASSERT_DEBUG(vm_lock_held());
    va = pg_round_down(va);
    struct spt_block *b = find_block(vm, va);
    if (!b && !(b = new_block(vm, block_base(va))))
        return NULL;
    struct page *p = &b->page[block_index(va)];
    ASSERT(!p->ops);
    record_init(p, vm, va, writable, false, ops);
    b->used++;
    return p;
}

/* See spt.h: the block goes with its last page.  VM lock held (asserted). */
void spt_remove(struct page *p)
{
    ASSERT_DEBUG(vm_lock_held());
    struct vm *vm = p->vm;
    struct spt_block *b = find_block(vm, p->va);
    ASSERT(b && p->ops && !p->frame);
#ifdef FOLIO_DEBUG
    memset(p, 0xcc, sizeof *p);        /* a dangling pointer reads junk */
#endif
    p->ops = NULL;
    if (--b->used == 0) {
        hash_remove(&vm->spt, &b->elem);
        kcache_free(&blocks, b);
        vm_uncharge(vm, SPT_BLOCK_COST);
    }
}

/* See spt.h.  VM lock held (asserted). */
struct spt_block *spt_copy_block(struct vm *dst, const struct spt_block *sb)
{
    ASSERT_DEBUG(vm_lock_held());
    struct spt_block *db = new_block(dst, sb->elem.key);
    if (!db)
        return NULL;
    for (int i = 0; i < SPT_BLOCK_PAGES; i++) {
        const struct page *s = &sb->page[i];
        if (s->ops) {
            record_init(&db->page[i], dst, s->va, s->writable, s->executable, s->ops);
            db->used++;
        }
    }
    return db;
}

/* FN(P, AUX) for each record of block B in [START, END), in address
 * order; stops after the block's last record, which may have taken the
 * block with it.  VM lock held. */
static void each_in_block(struct spt_block *b, uint64_t start, uint64_t end,
                          void (*fn)(struct page *p, void *aux), void *aux)
{
    for (int i = 0; i < SPT_BLOCK_PAGES; i++) {
        struct page *p = &b->page[i];
        if (!p->ops || p->va < start || p->va >= end)
            continue;
        bool last = b->used == 1;
        fn(p, aux);
        if (last)
            return;                         /* FN may have freed B */
    }
}

/* See spt.h.  VM lock held (asserted). */
void spt_each_in_range(struct vm *vm, uint64_t start, uint64_t end,
                       void (*fn)(struct page *p, void *aux), void *aux)
{
    ASSERT_DEBUG(vm_lock_held());
    if (start >= end)
        return;
    uint64_t first = block_base(start), spans = (end - 1 - first) / SPT_BLOCK_SPAN + 1;
    if (spans <= hash_size(&vm->spt)) {
        for (uint64_t base = first; spans-- > 0; base += SPT_BLOCK_SPAN) {
            struct spt_block *b = find_block(vm, base);
            if (b)
                each_in_block(b, start, end, fn, aux);
        }
        return;
    }
    struct hash_iter it;
    struct spt_block *b = spt_first(vm, &it);
    while (b) {
        struct spt_block *next = spt_next(vm, &it);   /* step past B first */
        uint64_t base = b->elem.key;
        if (base + SPT_BLOCK_SPAN > start && base < end)
            each_in_block(b, start, end, fn, aux);
        b = next;
    }
}

/* See spt.h.  VM lock held (asserted), for the whole iteration. */
struct spt_block *spt_first(struct vm *vm, struct hash_iter *it)
{
    ASSERT_DEBUG(vm_lock_held());
    struct hash_elem *e = hash_first(&vm->spt, it);
    return e ? hash_entry(e, struct spt_block, elem) : NULL;
}

/* See spt.h.  VM lock held (asserted). */
struct spt_block *spt_next(struct vm *vm, struct hash_iter *it)
{
    ASSERT_DEBUG(vm_lock_held());
    struct hash_elem *e = hash_next(&vm->spt, it);
    return e ? hash_entry(e, struct spt_block, elem) : NULL;
}
