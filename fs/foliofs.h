/* The foliofs on-disk format, version 2 (docs/interfaces.md, section 4).
 *
 * Block size 4096; block numbers count from the start of the payload
 * disk; block 0 means "no block" (a hole).  Block 1 holds the superblock,
 * then come the free-block bitmap, the inode table and the data blocks.
 * Inode 0 is the root directory.  A directory's data is an array of
 * 32-byte entries, in whole blocks; a symbolic link's data is its target.
 * Every multi-byte field is little-endian, like the CPU. */
#ifndef FS_FOLIOFS_H
#define FS_FOLIOFS_H

#include <stdint.h>
#include "fs/off_t.h"

#define FS_MAGIC "FOLIOFS2"
#define FS_MAGIC_V1 "FOLIOFS1"          /* the flat format before directories */
#define FS_BLOCK_SIZE 4096
#define FS_SUPER_BLOCK 1
#define FS_INODE_SIZE 128
#define FS_INODES_PER_BLOCK (FS_BLOCK_SIZE / FS_INODE_SIZE)
#define FS_NAME_MAX 14                 /* bytes, without the NUL */
#define FS_NDIRECT 12
#define FS_PTRS_PER_BLOCK (FS_BLOCK_SIZE / 4)
#define FS_BITS_PER_BLOCK (FS_BLOCK_SIZE * 8)
#define FS_INODE_IN_USE 1u
#define FS_ROOT_INODE 0
#define FS_PATH_MAX 4096               /* bytes of a path or link target, with the NUL */
#define FS_SYMLINK_MAX 16              /* links one lookup follows at most */

/* foliofs_inode.type */
enum { FS_TYPE_FILE = 1, FS_TYPE_DIR = 2, FS_TYPE_SYMLINK = 3 };

/* Block indexes within a file: [0, 12) direct, [12, 1036) through the
 * indirect block, [1036, FS_MAX_BLOCKS) through the double-indirect one. */
#define FS_IND_FIRST FS_NDIRECT
#define FS_DIND_FIRST (FS_IND_FIRST + FS_PTRS_PER_BLOCK)
#define FS_MAX_BLOCKS (FS_DIND_FIRST + FS_PTRS_PER_BLOCK * FS_PTRS_PER_BLOCK)

/* The largest file this kernel handles: the pointer scheme maps more
 * than 4 GiB, off_t stops at 2 GiB - 1. */
#define FS_MAX_FILE_SIZE OFF_T_MAX

struct foliofs_super {
    char magic[8];
    uint32_t block_size;
    uint32_t total_blocks;
    uint32_t bitmap_start, bitmap_blocks;
    uint32_t inode_start, inode_blocks, inode_count;
    uint32_t data_start;
};

struct foliofs_inode {
    uint32_t flags;                    /* FS_INODE_IN_USE */
    uint32_t size;                     /* bytes */
    uint32_t direct[FS_NDIRECT];
    uint32_t indirect;                 /* block of 1024 block numbers */
    uint32_t dindirect;                /* block of 1024 indirect blocks */
    uint32_t type;                     /* FS_TYPE_* */
    uint32_t parent;                   /* a directory's parent (root: itself) */
    uint8_t reserved[56];
};

/* A directory entry; inumber 0 (the root, never an entry) marks a free
 * one. */
struct foliofs_dirent {
    uint32_t inumber;
    char name[16];                     /* 1..14 bytes, NUL-terminated */
    uint8_t reserved[12];
};
#define FS_DIRENT_SIZE 32
#define FS_DIRENTS_PER_BLOCK (FS_BLOCK_SIZE / FS_DIRENT_SIZE)

_Static_assert(sizeof(struct foliofs_super) == 40, "superblock layout");
_Static_assert(sizeof(struct foliofs_inode) == FS_INODE_SIZE, "inode layout");
_Static_assert(sizeof(struct foliofs_dirent) == FS_DIRENT_SIZE, "entry layout");

#endif
