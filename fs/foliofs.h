/* The foliofs on-disk format (docs/interfaces.md, section 4).
 *
 * Block size 4096; block numbers count from the start of the payload
 * disk; block 0 means "no block" (a hole).  Block 1 holds the superblock,
 * then come the free-block bitmap, the inode table and the data blocks.
 * Every multi-byte field is little-endian, like the CPU. */
#ifndef FS_FOLIOFS_H
#define FS_FOLIOFS_H

#include <stdint.h>
#include "fs/off_t.h"

#define FS_MAGIC "FOLIOFS1"
#define FS_BLOCK_SIZE 4096
#define FS_SUPER_BLOCK 1
#define FS_INODE_SIZE 128
#define FS_INODES_PER_BLOCK (FS_BLOCK_SIZE / FS_INODE_SIZE)
#define FS_NAME_MAX 14                 /* bytes, without the NUL */
#define FS_NDIRECT 12
#define FS_PTRS_PER_BLOCK (FS_BLOCK_SIZE / 4)
#define FS_BITS_PER_BLOCK (FS_BLOCK_SIZE * 8)
#define FS_INODE_IN_USE 1u

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
    char name[16];                     /* 1..14 bytes, NUL-terminated */
    uint8_t reserved[48];
};

_Static_assert(sizeof(struct foliofs_super) == 40, "superblock layout");
_Static_assert(sizeof(struct foliofs_inode) == FS_INODE_SIZE, "inode layout");

#endif
