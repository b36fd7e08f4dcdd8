/* Open files: a struct file is an inode plus a position and its own
 * deny-write flag.  Several struct files may share one inode (opened
 * twice, reopened, duplicated).  This is the interface the system-call
 * layer, the loader and mmap use.
 *
 * Locking: every function takes the file-system lock internally; call
 * none of them with it held.  A struct file itself is not locked: its
 * position belongs to whoever holds the struct file (two threads sharing
 * one struct file must serialise their calls themselves).  BUF is kernel
 * memory; a system call passes the kernel's alias of a pinned user page
 * (docs/fs.md). */
#ifndef FS_FILE_H
#define FS_FILE_H

#include <stdbool.h>
#include "fs/off_t.h"

struct inode;
struct file;

/* A new struct file on INODE at position 0; takes over the caller's open
 * of INODE (closed on failure).  NULL when out of memory. */
struct file *file_open(struct inode *inode);
/* A new struct file on F's inode at position 0, no deny-write (mmap,
 * fork).  NULL when out of memory. */
struct file *file_reopen(struct file *f);
/* A new struct file on F's inode with F's position, and F's deny-write
 * state (a second deny on the inode): the two are independent afterwards
 * (fork).  NULL when out of memory. */
struct file *file_duplicate(struct file *f);
/* Undo F's deny-write if any, drop its inode, free F.  NULL is ignored. */
void file_close(struct file *f);

struct inode *file_get_inode(struct file *f);

/* Read/write at the position and advance it by the bytes moved. */
off_t file_read(struct file *f, void *buf, off_t size);
off_t file_write(struct file *f, const void *buf, off_t size);
/* Read/write at OFS; the position does not move. */
off_t file_read_at(struct file *f, void *buf, off_t size, off_t ofs);
off_t file_write_at(struct file *f, const void *buf, off_t size, off_t ofs);

/* Deny writes to F's inode until file_allow_write(F) or file_close(F);
 * calling it twice on one F counts once.  While any deny is active on an
 * inode, writes through every struct file on it return 0.  False, and no
 * deny, while a writable mapping holds the inode (file_map_writable). */
bool file_deny_write(struct file *f);
void file_allow_write(struct file *f);

/* Count F as a writable mapping of its inode until file_close(F); calling
 * it twice on one F counts once.  False, and no count, while writes to the
 * inode are denied.  A file is never both a running program (denied) and
 * mapped writable: such a mapping's dirty pages could never be written
 * back, and so could never leave memory. */
bool file_map_writable(struct file *f);

/* Set the position; past the end is fine (reads return 0, writes grow
 * the file).  A negative POS (an unsigned offset >= 2 GiB seen as off_t)
 * becomes OFF_T_MAX: reads return 0 and writes fail. */
void file_seek(struct file *f, off_t pos);
off_t file_tell(struct file *f);
off_t file_length(struct file *f);

#endif
