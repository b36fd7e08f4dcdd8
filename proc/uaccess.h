/* Checked access to user memory for system calls.
 *
 * Every user pointer is translated page by page through the caller's
 * address space and used through the kernel's alias of the frame, so a
 * bad pointer (NULL, unmapped, kernel, straddling into an invalid page)
 * is caught before any byte moves and the kernel never faults on it.
 * Each function reports a bad pointer (false, or -1); the system-call
 * layer then kills the caller with -1. */
#ifndef PROC_UACCESS_H
#define PROC_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* May the current process's system call access its buffer [UADDR,
 * UADDR+N) (write into it when WRITE)?  Every page is checked before any
 * byte moves; an empty buffer is always fine. */
bool user_buffer_ok(uint64_t uaddr, size_t n, bool write);
/* What copy_string_from_user and user_for_each_piece return when a page
 * that the checks accepted could not be brought in: its swap slot could
 * not be read, or no frame could be had.  The reason is logged as a page
 * fault's would be, and the caller is marked killed: it ends with -1 when
 * its system call returns. */
#define USER_PAGE_LOST (-3)

/* Copy the NUL-terminated string at USRC into DST (MAX bytes with the
 * NUL).  Returns its length, -1 for a bad pointer, -2 when longer, or
 * USER_PAGE_LOST. */
long copy_string_from_user(char *dst, uint64_t usrc, size_t max);

/* Call FN on each piece of [UADDR, UADDR+N) through kernel aliases; the
 * caller has checked the whole range with user_buffer_ok.  FN returns the
 * bytes it handled, and a short count stops the walk.  Returns the total
 * handled, or USER_PAGE_LOST. */
typedef long user_piece_fn(void *kaddr, size_t n, void *aux);
long user_for_each_piece(uint64_t uaddr, size_t n, bool write, user_piece_fn *fn, void *aux);

#endif
