/* Checked user-memory access (see uaccess.h).  The current process's
 * address space is the one consulted. */
#include "proc/uaccess.h"
#include "kernel/string.h"
#include "mm/layout.h"
#include "proc/process.h"

static void *translate(uint64_t va, bool write)
{
    return uvm_translate(&process_current()->vm, va, write);
}

bool user_check(uint64_t uaddr, size_t n, bool write)
{
    if (n == 0)
        return true;
    if (uaddr + n < uaddr || uaddr + n > USER_TOP)
        return false;
    for (uint64_t page = pg_round_down(uaddr); page < uaddr + n; page += PGSIZE)
        if (!translate(page < uaddr ? uaddr : page, write))
            return false;
    return true;
}

long user_for_each_piece(uint64_t uaddr, size_t n, bool write, user_piece_fn *fn, void *aux)
{
    if (!user_check(uaddr, n, write))
        return -1;
    long done = 0;
    while (n > 0) {
        size_t piece = PGSIZE - pg_ofs(uaddr);
        if (piece > n)
            piece = n;
        long got = fn(translate(uaddr, write), piece, aux);
        if (got > 0)
            done += got;
        if (got != (long)piece)
            break;
        uaddr += piece;
        n -= piece;
    }
    return done;
}

static long copy_out_piece(void *kaddr, size_t n, void *aux)
{
    char **src = aux;
    memcpy(kaddr, *src, n);
    *src += n;
    return n;
}

static long copy_in_piece(void *kaddr, size_t n, void *aux)
{
    char **dst = aux;
    memcpy(*dst, kaddr, n);
    *dst += n;
    return n;
}

bool copy_to_user(uint64_t udst, const void *src, size_t n)
{
    const char *p = src;
    return user_for_each_piece(udst, n, true, copy_out_piece, &p) == (long)n;
}

bool copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    char *p = dst;
    return user_for_each_piece(usrc, n, false, copy_in_piece, &p) == (long)n;
}

long copy_string_from_user(char *dst, uint64_t usrc, size_t max)
{
    size_t i = 0;
    while (i < max) {
        const char *k = usrc + i >= usrc ? translate(usrc + i, false) : NULL;
        if (!k)
            return -1;
        /* Copy up to the end of this page, then translate the next. */
        for (size_t room = PGSIZE - pg_ofs(usrc + i); room && i < max; room--, i++, k++) {
            dst[i] = *k;
            if (!*k)
                return i;
        }
    }
    return -2;
}
