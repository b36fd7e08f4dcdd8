/* Open files (see file.h).  A struct file has no lock of its own; the
 * inode functions it calls take the file-system lock. */
#include "fs/file.h"
#include "fs/inode.h"
#include "kernel/panic.h"
#include "kernel/kmalloc.h"

struct file {
    struct inode *inode;
    off_t pos;
    bool deny_write;            /* this file holds a deny on the inode */
    bool map_write;             /* it holds a writable mapping's count */
};

/* Wrap INODE (whose open the caller hands over) in a struct file at
 * position 0.  Closes INODE and returns NULL when out of memory; NULL
 * INODE gives NULL.  Must not be called with the fs lock held. */
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

/* A fresh struct file on F's inode, position 0, no deny.  NULL when out
 * of memory.  Takes the fs lock briefly. */
struct file *file_reopen(struct file *f)
{
    return file_open(inode_reopen(f->inode));
}

/* A copy of F: same inode, position and deny-write state; NULL when out
 * of memory.  Takes the fs lock briefly. */
struct file *file_duplicate(struct file *f)
{
    struct file *g = file_open(inode_reopen(f->inode));
    if (g) {
        g->pos = f->pos;
        if (f->deny_write) {
            /* F's deny keeps writable mappings off the inode. */
            bool denied = file_deny_write(g);
            ASSERT(denied);
        }
    }
    return g;
}

/* Close F: lift its deny or its writable mapping's count, drop its inode
 * (the last close of a removed file frees it), free F.  NULL is ignored.
 * Takes the fs lock. */
void file_close(struct file *f)
{
    if (!f)
        return;
    file_allow_write(f);
    if (f->map_write)
        inode_unmap_writable(f->inode);
    inode_close(f->inode);
    kfree(f);
}

/* The inode F is open on (shared with other files on it).  No lock. */
struct inode *file_get_inode(struct file *f)
{
    return f->inode;
}

/* Read up to SIZE bytes at F's position and advance it by what was read.
 * Takes the fs lock per block (inode_read_at). */
off_t file_read(struct file *f, void *buf, off_t size)
{
    off_t n = inode_read_at(f->inode, buf, size, f->pos);
    f->pos += n;
    return n;
}

/* Write SIZE bytes at F's position, growing the file, and advance the
 * position by what was written.  Takes the fs lock per block. */
off_t file_write(struct file *f, const void *buf, off_t size)
{
    off_t n = inode_write_at(f->inode, buf, size, f->pos);
    f->pos += n;
    return n;
}

/* Read at OFS; F's position does not move.  Takes the fs lock per block. */
off_t file_read_at(struct file *f, void *buf, off_t size, off_t ofs)
{
    return inode_read_at(f->inode, buf, size, ofs);
}

/* Write at OFS; F's position does not move.  Takes the fs lock per block. */
off_t file_write_at(struct file *f, const void *buf, off_t size, off_t ofs)
{
    return inode_write_at(f->inode, buf, size, ofs);
}

/* Put F's deny on its inode, once per file; false when a writable mapping
 * holds the inode (see file.h).  Takes the fs lock. */
bool file_deny_write(struct file *f)
{
    if (!f->deny_write) {
        ASSERT(!f->map_write);
        if (!inode_deny_write(f->inode))
            return false;
        f->deny_write = true;
    }
    return true;
}

/* Count F as a writable mapping of its inode, once per file; false while
 * writes to the inode are denied.  Takes the fs lock. */
bool file_map_writable(struct file *f)
{
    if (!f->map_write) {
        ASSERT(!f->deny_write);
        if (!inode_map_writable(f->inode))
            return false;
        f->map_write = true;
    }
    return true;
}

/* Lift F's deny, if it has one.  Takes the fs lock. */
void file_allow_write(struct file *f)
{
    if (f->deny_write) {
        f->deny_write = false;
        inode_allow_write(f->inode);
    }
}

/* Set F's position; a negative POS becomes OFF_T_MAX.  No lock. */
void file_seek(struct file *f, off_t pos)
{
    f->pos = pos < 0 ? OFF_T_MAX : pos;
}

/* F's position.  No lock. */
off_t file_tell(struct file *f)
{
    return f->pos;
}

/* The size of F's file in bytes.  Takes the fs lock. */
off_t file_length(struct file *f)
{
    return inode_length(f->inode);
}
