/* The file system: foliofs on the payload disk (docs/fs.md).
 *
 * One flat directory; names are 1 to 14 bytes.  Every function takes the
 * file-system lock itself; none may be called with it held.  While the
 * file system is unmounted (no payload disk, or a malformed one: the
 * kernel log says why) every operation fails. */
#ifndef FS_FILESYS_H
#define FS_FILESYS_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/off_t.h"

struct file;

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

/* Create file NAME of INITIAL_SIZE bytes of zeros (holes).  False if the
 * name is NULL, empty or longer than 14 bytes, already exists, there is
 * no free inode, INITIAL_SIZE is negative, or the disk lacks the blocks
 * INITIAL_SIZE would need once written. */
bool filesys_create(const char *name, off_t initial_size);
/* Open file NAME at position 0; NULL if there is none (or out of
 * memory). */
struct file *filesys_open(const char *name);
/* Remove NAME: it disappears at once; its inode and blocks are freed when
 * the last struct file open on it is closed.  False if there is no NAME. */
bool filesys_remove(const char *name);

/* Free data blocks, and the size of the file system in blocks. */
uint32_t filesys_free_blocks(void);
uint32_t filesys_total_blocks(void);

/* Call FN(name, size, aux) for every file, in inode order.  FN runs with
 * the file-system lock held and must not call back into the fs.  Returns
 * the number of files. */
typedef void filesys_list_fn(const char *name, off_t size, void *aux);
int filesys_list(filesys_list_fn *fn, void *aux);

#endif
