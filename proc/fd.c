/* File-descriptor tables (see fd.h). */
#include "proc/fd.h"
#include "fs/file.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"

/* A new description of KIND on F (NULL for the console) with one
 * reference; NULL when out of memory.  No lock: only the owning process
 * touches its table. */
static struct ofile *ofile_new(enum ofile_kind kind, struct file *f)
{
    struct ofile *o = kmalloc(sizeof *o);
    if (o)
        *o = (struct ofile){ kind, f, 1 };
    return o;
}

/* Drop one reference to O; the last closes its file.  No lock. */
static void ofile_put(struct ofile *o)
{
    if (--o->refs == 0) {
        if (o->kind == OF_FILE)
            file_close(o->file);
        kfree(o);
    }
}

/* Make room for descriptor FD; false when FD is out of range or memory is
 * short.  No lock. */
static bool reserve(struct fdtable *t, int fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return false;
    if (fd < t->cap)
        return true;
    int cap = t->cap;
    while (cap <= fd)
        cap *= 2;
    if (cap > FD_MAX)
        cap = FD_MAX;
    struct ofile **slots = kzalloc(cap * sizeof *slots);
    if (!slots)
        return false;
    memcpy(slots, t->slots, t->cap * sizeof *slots);
    kfree(t->slots);
    t->slots = slots;
    t->cap = cap;
    return true;
}

/* See fd.h: false when out of memory (T then holds nothing).  No lock. */
bool fd_init(struct fdtable *t)
{
    t->cap = 16;
    t->slots = kzalloc(t->cap * sizeof *t->slots);
    if (!t->slots)
        return false;
    t->slots[0] = ofile_new(OF_STDIN, NULL);
    t->slots[1] = ofile_new(OF_STDOUT, NULL);
    if (!t->slots[0] || !t->slots[1]) {
        fd_close_all(t);
        return false;
    }
    return true;
}

struct ofile *fd_get(struct fdtable *t, int fd)
{
    return fd >= 0 && fd < t->cap ? t->slots[fd] : NULL;
}

/* See fd.h: the lowest free descriptor from 2 up now names F; -1 when the
 * table is full or memory is short (F stays the caller's).  No lock. */
int fd_install_file(struct fdtable *t, struct file *f)
{
    for (int fd = 2; fd < FD_MAX; fd++) {
        if (fd < t->cap && t->slots[fd])
            continue;
        if (!reserve(t, fd))
            return -1;
        t->slots[fd] = ofile_new(OF_FILE, f);
        return t->slots[fd] ? fd : -1;
    }
    return -1;
}

/* Close descriptor FD; false when it names nothing.  No lock. */
bool fd_close(struct fdtable *t, int fd)
{
    struct ofile *o = fd_get(t, fd);
    if (!o)
        return false;
    t->slots[fd] = NULL;
    ofile_put(o);
    return true;
}

/* Make NEWFD name what OLDFD names, closing what NEWFD named; returns
 * NEWFD, or -1 when OLDFD names nothing, NEWFD is out of range, or there
 * is no memory to grow the table to NEWFD.  No lock. */
int fd_dup2(struct fdtable *t, int oldfd, int newfd)
{
    struct ofile *o = fd_get(t, oldfd);
    if (!o || !reserve(t, newfd))
        return -1;
    if (oldfd == newfd)
        return newfd;
    if (t->slots[newfd])
        ofile_put(t->slots[newfd]);
    t->slots[newfd] = o;
    o->refs++;
    return newfd;
}

/* See fd.h: DST gets a copy of each description of SRC (files duplicated,
 * positions kept), sharing among DST's descriptors what SRC's share.
 * False when out of memory, DST then holding a part that fd_close_all
 * frees.  No lock: SRC is the running process's, DST's process is not
 * running yet. */
bool fd_fork(struct fdtable *dst, struct fdtable *src)
{
    dst->cap = src->cap;
    dst->slots = kzalloc(dst->cap * sizeof *dst->slots);
    if (!dst->slots)
        return false;
    for (int fd = 0; fd < src->cap; fd++) {
        struct ofile *o = src->slots[fd];
        if (!o)
            continue;
        /* A description already copied for a lower descriptor is shared. */
        int twin = 0;
        while (twin < fd && src->slots[twin] != o)
            twin++;
        if (twin < fd) {
            dst->slots[fd] = dst->slots[twin];
            dst->slots[fd]->refs++;
            continue;
        }
        struct file *copy = NULL;
        if (o->kind == OF_FILE && !(copy = file_duplicate(o->file)))
            return false;
        dst->slots[fd] = ofile_new(o->kind, copy);
        if (!dst->slots[fd]) {
            if (copy)
                file_close(copy);
            return false;
        }
    }
    return true;
}

/* Close every descriptor of T and free its slots; accepts a table that
 * fd_init or fd_fork did not finish.  No lock. */
void fd_close_all(struct fdtable *t)
{
    for (int fd = 0; fd < t->cap; fd++)
        if (t->slots[fd])
            fd_close(t, fd);
    kfree(t->slots);
    t->slots = NULL;
    t->cap = 0;
}
