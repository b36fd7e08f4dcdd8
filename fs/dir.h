/* Internal to fs/: directories, links and path lookup (fs/dir.c).  Every
 * function expects fs.lock held. */
#ifndef FS_DIR_H
#define FS_DIR_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/foliofs.h"

/* What a path names, as dir_walk found it. */
struct dir_walk {
    uint32_t dir;                      /* the directory holding the last component */
    uint32_t inum;                     /* what the path names, when FOUND */
    bool found;                        /* it exists */
    bool named;                        /* the last component is NAME, an entry of DIR
                                        * (not "/", "." or "..") */
    char name[FS_NAME_MAX + 1];
};

bool dir_walk(uint32_t start, const char *path, bool follow, struct dir_walk *w);
bool dir_add(uint32_t dir, const char *name, uint32_t inum);
bool dir_unlink(uint32_t dir, const char *name);
bool dir_is_empty(uint32_t dir);
bool dir_next(uint32_t dir, uint32_t *pos, char name[FS_NAME_MAX + 1]);
bool dir_write_target(uint32_t inum, const char *target);
bool dir_check_tree(const char *dev);

#endif
