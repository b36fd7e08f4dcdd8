/* The kernel heap (see kmalloc.h).
 *
 * Small blocks (16..2048 bytes, powers of two) live in arenas: one kernel
 * page whose header records the size class and its own free list.  A
 * class keeps the arenas that have free blocks on a list; an arena whose
 * blocks are all free goes back to palloc at once, so the heap holds no
 * pages it does not use and the page accounting at power-off is exact.
 * Larger requests take whole pages behind an arena header.
 *
 * Locking: short critical sections with interrupts off (like palloc), so
 * kmalloc/kfree work from any thread context. */
#include "kernel/kmalloc.h"
#include "kernel/interrupt.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/inject.h"
#include "kernel/layout.h"
#include "kernel/palloc.h"
#include <stdint.h>

#define ARENA_MAGIC 0x9a5e11a5u
#define MIN_SHIFT 4
#define N_CLASSES 8                  /* 16 .. 2048 */
#define HDR_SIZE 64                  /* arena header, keeps blocks 16-aligned */

struct free_block {
    struct free_block *next;
};

struct arena {
    uint32_t magic;
    int cls;                     /* size class, or -1 for a large block */
    size_t pages;                /* large blocks: pages in the run */
    size_t free_count;
    struct free_block *free;
    struct list_elem elem;       /* class's list of arenas with free blocks */
};

struct size_class {
    size_t size, per_arena;
    struct list partial;
};

static struct size_class classes[N_CLASSES];
static size_t bytes_in_use;

/* Boot: the size classes, no arena yet.  Before any other call. */
void kmalloc_init(void)
{
    for (int c = 0; c < N_CLASSES; c++) {
        classes[c].size = 1UL << (c + MIN_SHIFT);
        classes[c].per_arena = (PGSIZE - HDR_SIZE) / classes[c].size;
        list_init(&classes[c].partial);
    }
}

/* The smallest class whose blocks hold SIZE bytes, or -1 for a large
 * block.  Any context: a pure function of the class table. */
static int class_for(size_t size)
{
    for (int c = 0; c < N_CLASSES; c++)
        if (size <= classes[c].size)
            return c;
    return -1;
}

/* A new arena for class C, all blocks free, on C's partial list; NULL when
 * out of pages.  Interrupts off (palloc is safe there). */
static struct arena *arena_new(int c)
{
    struct arena *a = palloc_get_page(0);
    if (!a)
        return NULL;
    a->magic = ARENA_MAGIC;
    a->cls = c;
    a->pages = 1;
    a->free = NULL;
    a->free_count = classes[c].per_arena;
    for (size_t i = classes[c].per_arena; i-- > 0;) {
        struct free_block *b = (void *)((char *)a + HDR_SIZE + i * classes[c].size);
        b->next = a->free;
        a->free = b;
    }
    list_push_front(&classes[c].partial, &a->elem);
    return a;
}

/* A run of whole pages behind an arena header for SIZE bytes; NULL when
 * out of pages.  Any context: the byte count changes with interrupts off. */
static void *large_alloc(size_t size)
{
    size_t pages = (size + HDR_SIZE + PGSIZE - 1) / PGSIZE;
    struct arena *a = palloc_get_multiple(0, pages);
    if (!a)
        return NULL;
    a->magic = ARENA_MAGIC;
    a->cls = -1;
    a->pages = pages;
    enum intr_level old = intr_disable();
    bytes_in_use += pages * PGSIZE;
    intr_set_level(old);
    return (char *)a + HDR_SIZE;
}

/* SIZE bytes, 16-aligned; NULL for SIZE 0, when out of memory, or when
 * fail_alloc injects a failure.  Any context: the free lists change with
 * interrupts off. */
void *kmalloc(size_t size)
{
    if (size == 0 || inject_fail())
        return NULL;
    int c = class_for(size);
    if (c < 0)
        return large_alloc(size);

    enum intr_level old = intr_disable();
    struct size_class *sc = &classes[c];
    struct arena *a = list_empty(&sc->partial)
        ? arena_new(c) : list_entry(list_front(&sc->partial), struct arena, elem);
    void *block = NULL;
    if (a) {
        struct free_block *b = a->free;
        a->free = b->next;
        if (--a->free_count == 0)
            list_remove(&a->elem);
        bytes_in_use += sc->size;
        block = b;
    }
    intr_set_level(old);
    return block;
}

/* kmalloc, zeroed.  Any context. */
void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

/* Free a block of kmalloc (NULL is ignored); an arena whose blocks are all
 * free goes back to the page allocator at once.  Any context: the free
 * lists change with interrupts off. */
void kfree(void *p)
{
    if (!p)
        return;
    struct arena *a = (struct arena *)pg_round_down(p);   /* small or large */
    ASSERT(a->magic == ARENA_MAGIC);

    if (a->cls < 0) {
        ASSERT((char *)p == (char *)a + HDR_SIZE);
        enum intr_level old = intr_disable();
        bytes_in_use -= a->pages * PGSIZE;
        intr_set_level(old);
        a->magic = 0;
        palloc_free_multiple(a, a->pages);
        return;
    }

    struct size_class *sc = &classes[a->cls];
#ifdef FOLIO_DEBUG
    memset(p, 0xcc, sc->size);
#endif
    enum intr_level old = intr_disable();
    struct free_block *b = p;
    b->next = a->free;
    a->free = b;
    if (a->free_count++ == 0)
        list_push_front(&sc->partial, &a->elem);
    bytes_in_use -= sc->size;
    bool empty = a->free_count == sc->per_arena;
    if (empty) {
        list_remove(&a->elem);
        a->magic = 0;
    }
    intr_set_level(old);
    if (empty)
        palloc_free_page(a);
}

size_t kmalloc_bytes_in_use(void) { return bytes_in_use; }
