/* Self-test of the supplemental page table (mm/spt.c): records found by
 * address, holes, blocks made on the first page and freed with the last,
 * and a block copied for fork. */
#include "kernel/selftest.h"
#include "mm/page.h"
#include "mm/spt.h"
#include "mm/vm_internal.h"

/* Six pages in four blocks: both ends of one block, the first page of
 * the next, and pages far apart. */
static const uint64_t vas[] = {
    0x400000, 0x401000, 0x41f000, 0x420000, 0x7ff000, 0x4747f000,
};
#define N_VAS (sizeof vas / sizeof *vas)
#define N_BLOCKS 4

/* Does VM's page at VA exist, with the address, owner and writability
 * it was given? */
static bool record_ok(struct vm *vm, uint64_t va, bool writable)
{
    struct page *p = spt_find(vm, va + 0xabc);      /* any byte of the page */
    return p && p->va == va && p->vm == vm && p->writable == writable
        && p->ops == &anon_ops && !p->frame && p->slot == -1;
}

void selftest_spt(void)
{
    struct vm a, b;
    if (!vm_create(&a) || !vm_create(&b)) {
        st_fail("no memory for two address spaces");
        return;
    }
    lock_acquire(&vm_lock);
    bool ok = true;
    for (size_t i = 0; i < N_VAS; i++)
        ok &= spt_add(&a, vas[i] + 0x10, i % 2, &anon_ops) != NULL;
    ST_CHECK(ok, "spt_add failed");
    for (size_t i = 0; i < N_VAS; i++)
        ST_CHECK(record_ok(&a, vas[i], i % 2), "page %#lx not found as added", vas[i]);
    ST_CHECK(!spt_find(&a, 0x402000), "a hole in a block found as a page");
    ST_CHECK(!spt_find(&a, 0x500000), "an address in no block found as a page");
    ST_CHECK(hash_size(&a.spt) == N_BLOCKS, "%zu blocks for %zu pages, expected %d",
             hash_size(&a.spt), N_VAS, N_BLOCKS);
    st_msg("%zu pages found in %zu blocks; holes and absent blocks are not pages",
           N_VAS, hash_size(&a.spt));

    struct hash_iter it;
    for (struct spt_block *sb = spt_first(&a, &it); sb; sb = spt_next(&a, &it))
        ST_CHECK(spt_copy_block(&b, sb) != NULL, "spt_copy_block failed");
    for (size_t i = 0; i < N_VAS; i++)
        ST_CHECK(record_ok(&b, vas[i], i % 2), "the copy lacks page %#lx", vas[i]);
    ST_CHECK(!spt_find(&b, 0x402000), "the copy filled a hole");
    st_msg("a copy has the same pages, owned by the copy");

    /* The first block goes with the last of its three pages. */
    spt_remove(spt_find(&a, 0x400000));
    spt_remove(spt_find(&a, 0x41f000));
    ST_CHECK(hash_size(&a.spt) == N_BLOCKS && record_ok(&a, 0x401000, true),
             "a block went while it still had a page");
    spt_remove(spt_find(&a, 0x401000));
    ST_CHECK(hash_size(&a.spt) == N_BLOCKS - 1, "an empty block was kept");
    ST_CHECK(!spt_find(&a, 0x401000) && record_ok(&a, 0x420000, true)
             && record_ok(&b, 0x400000, false), "removal touched other pages");
    st_msg("a block lives as long as its last page");
    lock_release(&vm_lock);

    vm_destroy(&a);
    vm_destroy(&b);
    st_msg("both address spaces destroyed");
}
