/* Open files (see file.h).  A struct file has no lock of its own; the
 * inode functions it calls take the file-system lock. */
#include "fs/file.h"
#include "fs/inode.h"
#include "kernel/panic.h"
#include "mm/kmalloc.h"

struct file {
    struct inode *inode;
    off_t pos;
    bool deny_write;            /* this file holds a deny on the inode */
};

/* Wrap INODE (whose open the caller hands over) in a struct file at
 * position 0.  Closes INODE and returns NULL when out of memory. */
struct file *file_open(struct inode *inode)
{
    if (!inode)
        return NULL;
    struct file *f = kzalloc(sizeof *f);
    if (!f) {
        inode_close(inode);
        return NULL;
    }
    f->inode = inode;
    return f;
}

/* A fresh struct file on F's inode, position 0. */
struct file *file_reopen(struct file *f)
{
    return file_open(inode_reopen(f->inode));
}

/* A copy of F: same inode, position and deny-write state. */
struct file *file_duplicate(struct file *f)
{
    struct file *g = file_open(inode_reopen(f->inode));
    if (g) {
        g->pos = f->pos;
        if (f->deny_write)
            file_deny_write(g);
    }
    return g;
}

/* Close F (see file.h). */
void file_close(struct file *f)
{
    if (!f)
        return;
    file_allow_write(f);
    inode_close(f->inode);
    kfree(f);
}

struct inode *file_get_inode(struct file *f)
{
    return f->inode;
}

off_t file_read(struct file *f, void *buf, off_t size)
{
    off_t n = inode_read_at(f->inode, buf, size, f->pos);
    f->pos += n;
    return n;
}

off_t file_write(struct file *f, const void *buf, off_t size)
{
    off_t n = inode_write_at(f->inode, buf, size, f->pos);
    f->pos += n;
    return n;
}

off_t file_read_at(struct file *f, void *buf, off_t size, off_t ofs)
{
    return inode_read_at(f->inode, buf, size, ofs);
}

off_t file_write_at(struct file *f, const void *buf, off_t size, off_t ofs)
{
    return inode_write_at(f->inode, buf, size, ofs);
}

void file_deny_write(struct file *f)
{
    if (!f->deny_write) {
        f->deny_write = true;
        inode_deny_write(f->inode);
    }
}

void file_allow_write(struct file *f)
{
    if (f->deny_write) {
        f->deny_write = false;
        inode_allow_write(f->inode);
    }
}

void file_seek(struct file *f, off_t pos)
{
    f->pos = pos < 0 ? OFF_T_MAX : pos;
}

off_t file_tell(struct file *f)
{
    return f->pos;
}

off_t file_length(struct file *f)
{
    return inode_length(f->inode);
}
