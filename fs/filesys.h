/* The file system: foliofs on the payload disk (docs/fs.md).
 *
 * A tree of directories, files and symbolic links.  Every function takes the
 * file-system lock itself; none may be called with it held.  While the
 * file system is unmounted (no payload disk, or a malformed one: the
 * kernel log says why) every operation fails. */
#ifndef FS_FILESYS_H
#define FS_FILESYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs/off_t.h"

struct file;
struct inode;

/* Mount the payload disk.  Call once, after block_init(), from a thread
 * with interrupts on.  Logs the result; never panics on a bad disk. */
void filesys_init(void);
/* Write everything back and flush the disk (power-off).  Removed files
 * that are still open are freed now.  The file system stays mounted and
 * no memory is released, so the kernel's accounting does not move. */
void filesys_done(void);
/* Write everything back and flush the disk; false if a write failed. */
bool filesys_sync(void);
bool filesys_mounted(void);

/* Paths: absolute from the root, or relative to CWD (the root when CWD is
 * NULL), components of 1 to 14 bytes separated by '/', "." and ".."
 * (the root's ".." is the root); symbolic links are followed in every
 * component but, for create, mkdir, symlink and remove, the last.  A
 * relative path from a working directory that has been removed names
 * nothing.  Every call fails for an empty path or one of FS_PATH_MAX
 * bytes or more. */

/* Create file PATH of INITIAL_SIZE bytes of zeros (holes).  False if PATH
 * exists or its directory does not, there is no free inode, INITIAL_SIZE
 * is negative, or the disk lacks the blocks INITIAL_SIZE would need once
 * written (or a new directory block). */
bool filesys_create_at(struct inode *cwd, const char *path, off_t initial_size);
/* Create the empty directory PATH; false as for filesys_create_at. */
bool filesys_mkdir_at(struct inode *cwd, const char *path);
/* Create PATH as a symbolic link to TARGET (1 to FS_PATH_MAX - 1 bytes,
 * which need not exist); false as for filesys_create_at. */
bool filesys_symlink_at(struct inode *cwd, const char *target, const char *path);
/* Open the file or directory PATH at position 0; NULL if there is none
 * (or out of memory). */
struct file *filesys_open_at(struct inode *cwd, const char *path);
/* Open directory PATH (for a working directory); NULL if it is not one. */
struct inode *filesys_opendir_at(struct inode *cwd, const char *path);
/* Remove PATH (a link itself, not its target): it disappears at once; its
 * inode and blocks are freed when the last struct file open on it is
 * closed.  False if there is no PATH, PATH is the root, "." or "..", or a
 * directory that is not empty. */
bool filesys_remove_at(struct inode *cwd, const char *path);
/* The name of the next entry of directory F (other than "." and "..")
 * into NAME, F's position moving past it; false at the end, for a file,
 * and for a removed directory. */
bool filesys_readdir(struct file *f, char name[15]);

/* The same from the root (the kernel's own callers). */
static inline bool filesys_create(const char *path, off_t initial_size)
{
    return filesys_create_at(NULL, path, initial_size);
}
static inline struct file *filesys_open(const char *path)
{
    return filesys_open_at(NULL, path);
}
static inline bool filesys_remove(const char *path)
{
    return filesys_remove_at(NULL, path);
}

/* Free data blocks, and the size of the file system in blocks. */
uint32_t filesys_free_blocks(void);
uint32_t filesys_total_blocks(void);

#endif
