/* Checked user-memory access (see uaccess.h).  Pages are checked against
 * the caller's supplemental page table (stack growth allowed from the rsp
 * saved at system-call entry), then brought in and pinned one at a time
 * while the kernel uses them through its own alias, so eviction never
 * takes a page from under a system call. */
#include "proc/uaccess.h"
#include "kernel/console.h"
#include "kernel/layout.h"
#include "mm/vm.h"
#include "proc/process.h"

/* See uaccess.h.  Takes the VM lock once per page, never holding it on
 * return. */
bool user_buffer_ok(uint64_t uaddr, size_t n, bool write)
{
    if (n == 0)
        return true;
    if (uaddr + n < uaddr || uaddr + n > USER_TOP)
        return false;
    struct process *p = process_current();
    for (uint64_t page = pg_round_down(uaddr); page < uaddr + n; page += PGSIZE)
        if (!vm_access_ok(&p->vm, page < uaddr ? uaddr : page, write, p->user_rsp))
            return false;
    return true;
}

/* Pin the current process's page at VA for a system call (see vm_pin);
 * NULL when it cannot be brought in, and then a bad pointer returns
 * BAD, while a page that exists but whose contents could not be read
 * or given a frame is logged as the page fault it would have been, the
 * process is marked killed (it ends with -1 when the system call
 * returns), and *LOST is set.  Takes the VM lock, never holding it on
 * return. */
static void *pin_for_call(uint64_t va, bool write, bool *lost)
{
    struct process *p = process_current();
    enum fault_verdict why;
    void *kva = vm_pin(&p->vm, va, write, p->user_rsp, &why);
    *lost = !kva && (why == FAULT_IO || why == FAULT_NO_MEMORY || why == FAULT_KMEM_LIMIT);
    if (*lost) {
        printk("uaccess: %s (pid %d): %s at 0x%lx (system call): killed\n", p->name, p->pid,
               fault_verdict_name(why), va);
        p->killed = true;
    }
    return kva;
}

/* See uaccess.h.  Each page is pinned (taking and releasing the VM lock)
 * around FN's call, which therefore runs with no VM lock held and may take
 * the file-system or console lock. */
long user_for_each_piece(uint64_t uaddr, size_t n, bool write, user_piece_fn *fn, void *aux)
{
    struct process *p = process_current();
    long done = 0;
    while (n > 0) {
        size_t piece = PGSIZE - pg_ofs(uaddr);
        if (piece > n)
            piece = n;
        bool lost;
        void *kaddr = pin_for_call(uaddr, write, &lost);
        if (!kaddr)
            return USER_PAGE_LOST;         /* the pages were checked: only lost */
        long got = fn(kaddr, piece, aux);
        vm_unpin(&p->vm, uaddr);
        if (got > 0)
            done += got;
        if (got != (long)piece)
            break;
        uaddr += piece;
        n -= piece;
    }
    return done;
}

/* See uaccess.h.  Pins one page at a time; no lock held while copying. */
long copy_string_from_user(char *dst, uint64_t usrc, size_t max)
{
    struct process *p = process_current();
    size_t i = 0;
    while (i < max) {
        uint64_t va = usrc + i;
        bool lost = false;
        const char *k = va >= usrc ? pin_for_call(va, false, &lost) : NULL;
        if (!k)
            return lost ? USER_PAGE_LOST : -1;
        /* Copy up to the end of this page, then pin the next. */
        long len = -2;
        for (size_t room = PGSIZE - pg_ofs(va); room && i < max; room--, i++, k++) {
            dst[i] = *k;
            if (!*k) {
                len = i;
                break;
            }
        }
        vm_unpin(&p->vm, va);
        if (len >= 0)
            return len;
    }
    return -2;
}
