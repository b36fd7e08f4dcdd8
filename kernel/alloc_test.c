/* Self-tests of the page allocator and the kernel heap. */
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "kernel/palloc.h"
#include <stdint.h>

#define N_KPAGES 64

void selftest_palloc(void)
{
    size_t kbase = palloc_kernel_used(), ubase = palloc_user_used();
    static void *pages[N_KPAGES];

    for (int i = 0; i < N_KPAGES; i++) {
        pages[i] = palloc_get_page(i % 2 ? PAL_ZERO : 0);
        ST_CHECK(pages[i] && pg_ofs(pages[i]) == 0, "kernel page %d not page-aligned", i);
        memset(pages[i], i, PGSIZE);
    }
    bool distinct = true;
    for (int i = 0; i < N_KPAGES; i++)
        for (size_t j = 0; j < PGSIZE; j += 512)
            distinct &= ((uint8_t *)pages[i])[j] == (uint8_t)i;
    ST_CHECK(distinct, "kernel pages overlap");
    ST_CHECK(palloc_kernel_used() == kbase + N_KPAGES, "kernel pool count off");
    for (int i = 0; i < N_KPAGES; i++)
        palloc_free_page(pages[i]);
    st_msg("%d kernel pages allocated, filled and freed", N_KPAGES);

    uint8_t *z = palloc_get_page(PAL_ZERO);
    bool zero = z != NULL;
    for (size_t i = 0; z && i < PGSIZE; i++)
        zero &= z[i] == 0;
    ST_CHECK(zero, "PAL_ZERO page not zeroed");
    palloc_free_page(z);

    uint8_t *run = palloc_get_multiple(0, 8);
    ST_CHECK(run != NULL, "8 contiguous pages unavailable");
    if (run) {
        memset(run, 0x5a, 8 * PGSIZE);
        palloc_free_multiple(run, 8);
    }

    /* Drain the user pool: exactly its total, then NULL. */
    size_t n = 0, total = palloc_user_total() - ubase;
    void **list = NULL;
    void *p;
    while ((p = palloc_get_page(PAL_USER)) != NULL) {
        *(void **)p = list;
        list = p;
        n++;
    }
    ST_CHECK(n == total, "user pool gave %zu pages, expected %zu", n, total);
    st_msg("user pool drained: %s", n == total ? "all pages, then none" : "count mismatch");
    while (list) {
        void **next = *list;
        palloc_free_page(list);
        list = next;
    }
    ST_CHECK(palloc_kernel_used() == kbase, "kernel pages leaked");
    ST_CHECK(palloc_user_used() == ubase, "user pages leaked");
    st_msg("pools back to their baseline");
}

void selftest_heap(void)
{
    size_t base = kmalloc_bytes_in_use(), kbase = palloc_kernel_used();
    static const size_t sizes[] = { 1, 8, 16, 17, 100, 512, 2000, 2048, 2049, 5000, 20000 };
    enum { N = sizeof sizes / sizeof *sizes, ROUNDS = 40 };
    static uint8_t *blocks[ROUNDS][N];

    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < N; i++) {
            blocks[r][i] = kmalloc(sizes[i]);
            ST_CHECK(blocks[r][i] != NULL, "kmalloc(%zu) failed", sizes[i]);
            ST_CHECK(((uint64_t)blocks[r][i] & 15) == 0, "kmalloc(%zu) not 16-aligned", sizes[i]);
            if (blocks[r][i])
                memset(blocks[r][i], (r * N + i) & 0xff, sizes[i]);
        }
    bool intact = true;
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < N; i++)
            for (size_t k = 0; blocks[r][i] && k < sizes[i]; k += 7)
                intact &= blocks[r][i][k] == ((r * N + i) & 0xff);
    ST_CHECK(intact, "heap blocks overlap");
    st_msg("%d blocks of %d sizes allocated and intact", ROUNDS * N, N);

    /* Free every other round first, then the rest: exercises partial arenas. */
    for (int pass = 0; pass < 2; pass++)
        for (int r = pass; r < ROUNDS; r += 2)
            for (int i = 0; i < N; i++)
                kfree(blocks[r][i]);
    kfree(NULL);
    ST_CHECK(kmalloc(0) == NULL, "kmalloc(0) returned memory");
    ST_CHECK(kmalloc_bytes_in_use() == base, "heap bytes %zu, baseline %zu",
             kmalloc_bytes_in_use(), base);
    ST_CHECK(palloc_kernel_used() == kbase, "heap kept %zu pages",
             palloc_kernel_used() - kbase);
    st_msg("heap and its pages back to their baseline");
}
