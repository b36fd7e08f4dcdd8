/* In-memory inodes: one struct inode per open on-disk inode, shared by
 * every struct file opened on it.
 *
 * Every function here takes the file-system lock itself (docs/fs.md); none
 * may be called with it held.  Buffers are kernel memory (a system call
 * passes the kernel's alias of a pinned user page), so the fs never faults
 * on a user address while it holds its lock. */
#ifndef FS_INODE_H
#define FS_INODE_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/off_t.h"

struct inode;

/* Open on-disk inode INUMBER: returns the in-memory inode already open
 * for it (its open count raised) or a new one; NULL when INUMBER is not a
 * file (free, removed, out of range), the fs is unmounted, or out of
 * memory.  Each successful open needs one inode_close. */
struct inode *inode_open(uint32_t inumber);
/* Open INODE once more; returns INODE (NULL passes through). */
struct inode *inode_reopen(struct inode *inode);
/* Drop one open; the last close of a removed inode frees its blocks and
 * its inode-table entry.  NULL is ignored. */
void inode_close(struct inode *inode);

uint32_t inode_get_inumber(const struct inode *inode);
off_t inode_length(struct inode *inode);
/* True once the inode's name has been removed. */
bool inode_is_removed(struct inode *inode);
/* True for a directory (whose data only fs/dir.c reads: inode_read_at and
 * inode_write_at move no byte of a directory or a link). */
bool inode_is_dir(struct inode *inode);
/* How many opens INODE has (for tests and diagnostics). */
int inode_open_count(struct inode *inode);

/* Read up to SIZE bytes at OFS into BUF; returns the bytes read (short at
 * the end of the file, 0 for OFS at or past it or SIZE <= 0, 0 for a
 * directory). */
off_t inode_read_at(struct inode *inode, void *buf, off_t size, off_t ofs);
/* Write SIZE bytes from BUF at OFS, growing the file (a gap past the old
 * end reads as zeros); returns the bytes written, short when the disk is
 * full or the file reaches its largest size, 0 while writes are denied and
 * for a directory. */
off_t inode_write_at(struct inode *inode, const void *buf, off_t size, off_t ofs);

/* Deny writes to INODE (counted: each deny needs one allow); false, and no
 * deny, while a writable mapping holds INODE. */
bool inode_deny_write(struct inode *inode);
void inode_allow_write(struct inode *inode);
/* Count a writable mapping of INODE (each needs one unmap); false, and no
 * count, while writes to INODE are denied.  A file is never both a running
 * program and mapped writable: the pages of such a mapping could never be
 * written back. */
bool inode_map_writable(struct inode *inode);
void inode_unmap_writable(struct inode *inode);

#endif
