/* Directories, symbolic links and path lookup (docs/fs.md, section 10).
 *
 * A directory is an inode of type FS_TYPE_DIR whose data is an array of
 * 32-byte entries (struct foliofs_dirent) in whole blocks; inumber 0 marks
 * a free entry (inode 0 is the root, which is nobody's entry).  "." and
 * ".." are not stored: "." is the directory itself, ".." its `parent`
 * field (the root's is itself).  A directory grows by one zeroed block
 * when every entry is taken, and never shrinks.  A symbolic link is an
 * inode of type FS_TYPE_SYMLINK whose data is its target, 1 to
 * FS_PATH_MAX - 1 bytes.
 *
 * Every function here expects fs.lock held, and the callers (filesys.c)
 * hold it for a whole name operation, so a lookup and what follows it are
 * atomic. */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "fs/dir.h"
#include "fs/fsys.h"

/* The on-disk inode INUM.  Lock held. */
static struct foliofs_inode *dinode(uint32_t inum)
{
    return &fs.inodes[inum];
}

/* Entries directory DIR holds, free ones included.  Lock held. */
static uint32_t entry_count(uint32_t dir)
{
    return dinode(dir)->size / FS_DIRENT_SIZE;
}

/* Read entries [I, I + N) of directory DIR into E (zeros in a hole); they
 * must lie in one block.  False on an I/O error.  Lock held. */
static bool entries_read(uint32_t dir, uint32_t i, struct foliofs_dirent *e, unsigned n)
{
    bool err = false;
    ASSERT(i % FS_DIRENTS_PER_BLOCK + n <= FS_DIRENTS_PER_BLOCK);
    uint32_t b = inode_map_locked(dir, i / FS_DIRENTS_PER_BLOCK, false, &err);
    if (err)
        return false;
    if (b == 0) {
        memset(e, 0, n * sizeof *e);
        return true;
    }
    return cache_read(b, (i % FS_DIRENTS_PER_BLOCK) * FS_DIRENT_SIZE, e, n * sizeof *e);
}

/* Read entry I of directory DIR into *E.  False on an I/O error.  Lock
 * held. */
static bool entry_read(uint32_t dir, uint32_t i, struct foliofs_dirent *e)
{
    return entries_read(dir, i, e, 1);
}

/* Write *E as entry I of directory DIR, allocating its block if needed.
 * False when the disk is full or on an I/O error.  Lock held. */
static bool entry_write(uint32_t dir, uint32_t i, const struct foliofs_dirent *e)
{
    bool err = false;
    uint32_t b = inode_map_locked(dir, i / FS_DIRENTS_PER_BLOCK, true, &err);
    if (err)
        return false;
    return cache_write(b, (i % FS_DIRENTS_PER_BLOCK) * FS_DIRENT_SIZE, e, sizeof *e);
}

/* The index of the first entry of directory DIR at index FROM or after
 * that is free (NAME is NULL and USED false), in use (NAME NULL, USED
 * true) or holds NAME (USED true), copied to *E; the entry count when
 * there is none, UINT32_MAX on an I/O error.  Reads RUN entries at a
 * time.  Lock held. */
static uint32_t scan(uint32_t dir, uint32_t from, bool used, const char *name,
                     struct foliofs_dirent *e)
{
    enum { RUN = 16 };                     /* 512 bytes of stack */
    struct foliofs_dirent run[RUN];
    uint32_t n = entry_count(dir);
    for (uint32_t i = from; i < n;) {
        unsigned k = RUN - i % RUN;        /* RUN divides a block's entries */
        if (k > n - i)
            k = n - i;
        if (!entries_read(dir, i, run, k))
            return UINT32_MAX;
        for (unsigned j = 0; j < k; j++)
            if ((run[j].inumber != 0) == used && (!name || strcmp(run[j].name, name) == 0)) {
                *e = run[j];
                return i + j;
            }
        i += k;
    }
    return n;
}

/* Look NAME up in directory DIR: 1 and *INUM (and *SLOT, if not NULL) when
 * found, 0 when not, -1 on an I/O error.  Lock held. */
static int find(uint32_t dir, const char *name, uint32_t *inum, uint32_t *slot)
{
    struct foliofs_dirent e;
    uint32_t i = scan(dir, 0, true, name, &e);
    if (i == UINT32_MAX)
        return -1;
    if (i == entry_count(dir))
        return 0;
    *inum = e.inumber;
    if (slot)
        *slot = i;
    return 1;
}

/* Add entry NAME -> INUM to directory DIR, in its first free entry or in a
 * new block.  False when the disk is full or on an I/O error (nothing
 * changed then but perhaps a new empty block).  Lock held. */
bool dir_add(uint32_t dir, const char *name, uint32_t inum)
{
    ASSERT_DEBUG(fs_lock_held());
    struct foliofs_dirent e;
    uint32_t n = entry_count(dir), i = scan(dir, 0, false, NULL, &e);
    if (i == UINT32_MAX)
        return false;
    if (i == n && (uint64_t)dinode(dir)->size + FS_BLOCK_SIZE > FS_MAX_FILE_SIZE)
        return false;
    memset(&e, 0, sizeof e);
    e.inumber = inum;
    strlcpy(e.name, name, sizeof e.name);
    if (!entry_write(dir, i, &e))
        return false;
    if (i == n) {
        dinode(dir)->size += FS_BLOCK_SIZE;
        super_inode_dirty(dir);
    }
    return true;
}

/* Clear the entry of NAME in directory DIR.  False if it is absent or on
 * an I/O error.  Lock held. */
bool dir_unlink(uint32_t dir, const char *name)
{
    ASSERT_DEBUG(fs_lock_held());
    uint32_t inum, slot;
    struct foliofs_dirent e = { 0 };
    return find(dir, name, &inum, &slot) == 1 && entry_write(dir, slot, &e);
}

/* Does directory DIR hold no entry?  False also on an I/O error.  Lock
 * held. */
bool dir_is_empty(uint32_t dir)
{
    ASSERT_DEBUG(fs_lock_held());
    struct foliofs_dirent e;
    return scan(dir, 0, true, NULL, &e) == entry_count(dir);
}

/* The name of the first entry of directory DIR at index *POS or after,
 * into NAME (15 bytes); *POS moves past it.  False at the end or on an I/O
 * error.  Lock held. */
bool dir_next(uint32_t dir, uint32_t *pos, char name[FS_NAME_MAX + 1])
{
    ASSERT_DEBUG(fs_lock_held());
    struct foliofs_dirent e;
    uint32_t i = scan(dir, *pos, true, NULL, &e);
    if (i == UINT32_MAX || i >= entry_count(dir))
        return false;
    strlcpy(name, e.name, FS_NAME_MAX + 1);
    *pos = i + 1;
    return true;
}

/* Read link INUM's target into BUF (FS_PATH_MAX bytes) as a string.
 * False for an empty target, one holding a NUL, or an I/O error.  Lock
 * held. */
static bool read_target(uint32_t inum, char *buf)
{
    uint32_t size = dinode(inum)->size;
    bool err = false;
    if (size == 0 || size >= FS_PATH_MAX)
        return false;
    uint32_t b = inode_map_locked(inum, 0, false, &err);
    if (err || b == 0 || !cache_read(b, 0, buf, size))
        return false;
    buf[size] = '\0';
    return strlen(buf) == size;
}

/* Store TARGET (1 to FS_PATH_MAX - 1 bytes) as link INUM's data.  False
 * when the disk is full or on an I/O error.  Lock held. */
bool dir_write_target(uint32_t inum, const char *target)
{
    ASSERT_DEBUG(fs_lock_held());
    size_t len = strnlen(target, FS_PATH_MAX);
    bool err = false;
    if (len == 0 || len >= FS_PATH_MAX)
        return false;
    uint32_t b = inode_map_locked(inum, 0, true, &err);
    if (err || !cache_write(b, 0, target, (unsigned)len))
        return false;
    dinode(inum)->size = (uint32_t)len;
    super_inode_dirty(inum);
    return true;
}

/* Replace the path being walked, whose unread part is REST (inside CUR),
 * by link INUM's target followed by "/" and REST (the target alone when
 * REST is empty), in CUR (both FS_PATH_MAX bytes;
 * TMP is scratch of the same size).  False when the target cannot be read
 * or the result is too long.  Lock held. */
static bool expand_link(uint32_t inum, char *cur, const char *rest, char *tmp)
{
    if (!read_target(inum, tmp))
        return false;
    size_t tlen = strlen(tmp), rlen = strlen(rest), sep = rlen != 0;
    if (tlen + sep + rlen + 1 > FS_PATH_MAX)
        return false;
    tmp[tlen] = '/';                   /* overwritten by REST's NUL when empty */
    memcpy(tmp + tlen + sep, rest, rlen + 1);
    memcpy(cur, tmp, tlen + sep + rlen + 1);
    return true;
}

/* Before the first link of a walk: replace *CUR, the path as given (a
 * string in a block of its own size), by a copy in a block of FS_PATH_MAX
 * bytes, moving *REST (a pointer into it) along, and allocate *TMP of the
 * same size, the scratch expand_link needs.  Most walks meet no link, so
 * they never pay for the two blocks of FS_PATH_MAX (each a run of pages
 * from the page allocator).  False when out of memory (*CUR is then
 * unchanged).  Lock held. */
static bool grow(char **cur, const char **rest, char **tmp)
{
    char *big = kmalloc(FS_PATH_MAX);
    *tmp = kmalloc(FS_PATH_MAX);
    if (!big || !*tmp) {
        kfree(big);
        return false;                  /* dir_walk frees *TMP */
    }
    size_t at = (size_t)(*rest - *cur);
    memcpy(big, *cur, strlen(*cur) + 1);
    kfree(*cur);
    *cur = big;
    *rest = big + at;
    return true;
}

/* Walk PATH from directory START (the root for an absolute path) and
 * describe what it names in *W (see dir.h).  Links are followed in every
 * component but the last, and in the last too with FOLLOW; at most
 * FS_SYMLINK_MAX per walk, relative targets from the link's directory.
 * False for an empty path, a component longer than FS_NAME_MAX, a
 * component before the last that is missing or not a directory, a link
 * that cannot be followed, out of memory or an I/O error.  Lock held. */
bool dir_walk(uint32_t start, const char *path, bool follow, struct dir_walk *w)
{
    ASSERT_DEBUG(fs_lock_held());
    size_t plen = strnlen(path, FS_PATH_MAX);
    char *cur = NULL, *tmp = NULL;
    unsigned links = 0;
    bool ok = false;

    if (plen == 0 || plen >= FS_PATH_MAX)
        return false;
    cur = kmalloc(plen + 1);           /* grown at the first link */
    if (!cur)
        goto out;
    memcpy(cur, path, plen + 1);
    *w = (struct dir_walk){ .dir = start, .inum = start, .found = true };
    if (cur[0] == '/')
        w->dir = w->inum = FS_ROOT_INODE;
    for (char *p = cur;;) {
        while (*p == '/')
            p++;
        if (*p == '\0')
            break;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - p);
        const char *rest = end;
        while (*rest == '/')
            rest++;
        if (!w->found || dinode(w->inum)->type != FS_TYPE_DIR)
            goto out;                  /* "missing/x" or "file/x" */
        uint32_t dir = w->inum;
        w->dir = dir;
        w->named = false;
        if (len == 1 && p[0] == '.') {
            p = end;
            continue;
        }
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            w->inum = dinode(dir)->parent;
            p = end;
            continue;
        }
        if (len > FS_NAME_MAX)
            goto out;
        memcpy(w->name, p, len);
        w->name[len] = '\0';
        int r = find(dir, w->name, &w->inum, NULL);
        if (r < 0)
            goto out;
        w->found = r == 1;
        w->named = true;
        if (w->found && dinode(w->inum)->type == FS_TYPE_SYMLINK
            && (*rest != '\0' || follow)) {
            if (++links > FS_SYMLINK_MAX || (!tmp && !grow(&cur, &rest, &tmp))
                || !expand_link(w->inum, cur, rest, tmp))
                goto out;
            p = cur;
            w->named = false;
            w->inum = cur[0] == '/' ? FS_ROOT_INODE : dir;
            continue;
        }
        p = end;
    }
    ok = true;
out:
    kfree(cur);
    kfree(tmp);
    return ok;
}

/* Does NAME (LEN bytes) hold a '/'?  Any context. */
static bool has_slash(const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/')
            return true;
    return false;
}

/* Put directory D's entries on the walk queue Q (of *N) and check them:
 * each names an in-use inode other than the root, once (REFS), with a
 * proper name, and a directory whose parent field is D.  False, logged,
 * on the first problem.  Mounting (lock held). */
static bool check_dir(const char *dev, uint32_t d, uint8_t *refs, uint32_t *q, uint32_t *n)
{
    struct foliofs_dirent e;
    uint32_t count = entry_count(d);
    for (uint32_t i = 0; i < count; i++) {
        if (!entry_read(d, i, &e)) {
            printk("fs: %s: cannot read directory inode %u; file system not mounted\n",
                   dev, d);
            return false;
        }
        uint32_t t = e.inumber;
        size_t len = strnlen(e.name, sizeof e.name);
        const char *why = NULL;
        if (t == 0)
            continue;
        if (t >= fs.sb.inode_count || !(dinode(t)->flags & FS_INODE_IN_USE))
            why = "names a free or missing inode";
        else if (len == 0 || len > FS_NAME_MAX || has_slash(e.name, len)
                 || strcmp(e.name, ".") == 0 || strcmp(e.name, "..") == 0)
            why = "has a bad name";
        else if (refs[t]++)
            why = "names an inode that has another name";
        else if (dinode(t)->type == FS_TYPE_DIR && dinode(t)->parent != d)
            why = "names a directory whose parent is another";
        if (why) {
            printk("fs: %s: entry %u of directory inode %u (inode %u) %s; file "
                   "system not mounted\n", dev, i, d, t, why);
            return false;
        }
        if (dinode(t)->type == FS_TYPE_DIR)
            q[(*n)++] = t;
    }
    return true;
}

/* Check the directory tree from the root (see check_dir) and free every
 * in-use inode no directory reaches (an orphan: a file removed while open
 * when the machine stopped without a clean power-off), logging each.
 * False, logged, when the tree is malformed.  Mounting (lock held). */
bool dir_check_tree(const char *dev)
{
    ASSERT_DEBUG(fs_lock_held());
    uint32_t count = fs.sb.inode_count, n = 0;
    uint8_t *refs = kzalloc(count);
    uint32_t *q = kmalloc((size_t)count * sizeof *q);
    bool ok = false;
    if (!refs || !q) {
        printk("fs: %s: out of memory checking the directories; file system not "
               "mounted\n", dev);
        goto out;
    }
    if (dinode(FS_ROOT_INODE)->parent != FS_ROOT_INODE) {
        printk("fs: %s: the root's parent is not the root; file system not mounted\n",
               dev);
        goto out;
    }
    refs[FS_ROOT_INODE] = 1;
    q[n++] = FS_ROOT_INODE;
    for (uint32_t head = 0; head < n; head++)
        if (!check_dir(dev, q[head], refs, q, &n))
            goto out;
    for (uint32_t i = 0; i < count; i++)
        if ((dinode(i)->flags & FS_INODE_IN_USE) && !refs[i]) {
            printk("fs: %s: freeing inode %u, which no directory names\n", dev, i);
            inode_remove_locked(i);
        }
    ok = true;
out:
    kfree(refs);
    kfree(q);
    return ok;
}
