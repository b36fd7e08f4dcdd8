/* selftest_fs: the file system on the mounted payload disk.
 *
 * Works on files named "st.*" (removed again), checks that every block it
 * used comes back, that the block cache moves a file larger than itself
 * in multi-block requests (counted by the block layer), and finally leaves one file, "selftest.fs" (70000
 * bytes, byte i = (i * 7 + i / 4096) % 251), so that a harness test can
 * fetch it and check that filesys_done wrote everything back. */
#include "fs/file.h"
#include "fs/filesys.h"
#include "fs/fsys.h"
#include "fs/inode.h"
#include "kernel/console.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"

#define BS 4096
#define BUF_SIZE (4 * BS)
#define KEEP_NAME "selftest.fs"
#define KEEP_SIZE 70000

/* The byte at offset OFS of test pattern SEED. */
static uint8_t byte_at(uint32_t ofs, unsigned seed)
{
    return (uint8_t)((ofs * 7 + ofs / BS + seed * 13) % 251);
}

/* Fill BUF with N bytes of pattern SEED from offset OFS. */
static void fill(uint8_t *buf, uint32_t ofs, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = byte_at(ofs + i, seed);
}

/* True when BUF holds the SEED pattern of N bytes from OFS (or zeros when
 * SEED is ~0u); reports the first difference. */
static bool same(const uint8_t *buf, uint32_t ofs, size_t n, unsigned seed, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t want = seed == ~0u ? 0 : byte_at(ofs + i, seed);
        if (buf[i] != want) {
            st_fail("%s: byte %lu is 0x%02x, expected 0x%02x", what,
                    (unsigned long)(ofs + i), buf[i], want);
            return false;
        }
    }
    return true;
}

/* Names: the 14-byte limit, empty and NULL names, a very long one. */
static void test_names(void)
{
    static const char n14[] = "st.abcdefghijk";     /* 14 bytes */
    static const char n15[] = "st.abcdefghijkl";    /* 15 bytes */
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';

    ST_CHECK(filesys_create(n14, 0), "create with a 14-byte name failed");
    ST_CHECK(!filesys_create(n14, 0), "created an existing name twice");
    struct file *f = filesys_open(n14);
    ST_CHECK(f != NULL, "open of a 14-byte name failed");
    file_close(f);
    ST_CHECK(filesys_remove(n14), "remove of a 14-byte name failed");
    ST_CHECK(!filesys_create(n15, 0), "create with a 15-byte name succeeded");
    ST_CHECK(!filesys_open(n15), "open with a 15-byte name succeeded");
    ST_CHECK(!filesys_create(longname, 0), "create with a 299-byte name succeeded");
    ST_CHECK(!filesys_create("", 0), "create with an empty name succeeded");
    ST_CHECK(!filesys_create(NULL, 0), "create with a NULL name succeeded");
    ST_CHECK(!filesys_open(""), "open of an empty name succeeded");
    ST_CHECK(!filesys_remove("st.none"), "remove of a missing file succeeded");
    ST_CHECK(!filesys_create("st.neg", -1), "create with a negative size succeeded");
    st_msg("names: 14 bytes accepted, 15 refused");
}

/* Write N bytes of pattern SEED at OFS in steps of STEP bytes. */
static bool write_steps(struct file *f, uint8_t *buf, uint32_t ofs, size_t n, size_t step,
                        unsigned seed)
{
    file_seek(f, ofs);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < step ? n - done : step;
        fill(buf, ofs + done, k, seed);
        off_t w = file_write(f, buf, k);
        if (w != (off_t)k) {
            st_fail("write of %lu bytes at %lu returned %d", (unsigned long)k,
                    (unsigned long)(ofs + done), w);
            return false;
        }
        done += k;
    }
    return true;
}

/* Read N bytes at OFS in steps of STEP and compare with SEED. */
static bool read_steps(struct file *f, uint8_t *buf, uint32_t ofs, size_t n, size_t step,
                       unsigned seed, const char *what)
{
    file_seek(f, ofs);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < step ? n - done : step;
        off_t r = file_read(f, buf, k);
        if (r != (off_t)k) {
            st_fail("%s: read of %lu bytes at %lu returned %d", what, (unsigned long)k,
                    (unsigned long)(ofs + done), r);
            return false;
        }
        if (!same(buf, ofs + done, k, seed, what))
            return false;
        done += k;
    }
    return true;
}

/* Data across block boundaries, holes, indirect and double-indirect
 * blocks, the size limit, reopen/duplicate, deny-write, and removal of
 * an open file.  BUF has BUF_SIZE bytes. */
static void test_data(uint8_t *buf, uint32_t free0)
{
    const uint32_t ind_ofs = 12 * BS + 100;             /* first indirect block */
    const uint32_t dind_ofs = (12 + 1024) * BS + 5;     /* first double-indirect */
    struct file *f, *g, *h;

    if (!filesys_create("st.a", 0) || !(f = filesys_open("st.a"))) {
        st_fail("cannot create and open st.a");
        return;
    }
    /* 10000 bytes in steps that straddle block boundaries. */
    if (!write_steps(f, buf, 0, 10000, 1, 1) || !write_steps(f, buf, 0, 10000, 4095, 1)
        || !write_steps(f, buf, 3, 9997, 4097, 1))
        goto out;
    ST_CHECK(file_length(f) == 10000, "length %d after writing 10000 bytes", file_length(f));
    ST_CHECK(file_tell(f) == 10000, "position %d after writing", file_tell(f));
    if (!read_steps(f, buf, 0, 10000, 1000, 1, "boundaries")
        || !read_steps(f, buf, 4090, 20, 7, 1, "boundary 4096")
        || !read_steps(f, buf, 0, 10000, BUF_SIZE, 1, "one read"))
        goto out;
    ST_CHECK(file_read_at(f, buf, 100, 10000) == 0, "read at the end returned data");
    ST_CHECK(file_read_at(f, buf, 100, 50000) == 0, "read past the end returned data");
    ST_CHECK(file_read_at(f, buf, 0, 0) == 0 && file_write_at(f, buf, 0, 0) == 0,
             "zero-length transfers moved data");
    ST_CHECK(file_read_at(f, buf, 100, 9950) == 50, "short read at the end");
    ST_CHECK(filesys_free_blocks() == free0 - 3, "10000 bytes used %u blocks, not 3",
             free0 - filesys_free_blocks());
    st_msg("data across block boundaries read back");

    /* Past 48 KiB: an indirect block; the gap reads as zeros. */
    if (!write_steps(f, buf, ind_ofs, 300, 300, 2))
        goto out;
    ST_CHECK(file_length(f) == (off_t)(ind_ofs + 300), "length after the indirect write");
    if (!read_steps(f, buf, 10000, ind_ofs - 10000, BUF_SIZE, ~0u, "gap")
        || !read_steps(f, buf, ind_ofs, 300, 300, 2, "indirect"))
        goto out;
    ST_CHECK(filesys_free_blocks() == free0 - 5, "indirect write used %u blocks, not 2",
             free0 - 3 - filesys_free_blocks());
    /* Past 4 MiB + 48 KiB: double-indirect, index, data. */
    if (!write_steps(f, buf, dind_ofs, 5000, 5000, 3)
        || !read_steps(f, buf, dind_ofs, 5000, 5000, 3, "double-indirect")
        || !read_steps(f, buf, dind_ofs - 1000, 1000, 1000, ~0u, "gap before it"))
        goto out;
    ST_CHECK(filesys_free_blocks() == free0 - 9, "double-indirect write used %u blocks, not 4",
             free0 - 5 - filesys_free_blocks());
    if (!read_steps(f, buf, 0, 10000, 999, 1, "start after growth"))
        goto out;
    st_msg("indirect and double-indirect blocks work, holes read as zeros");

    /* The size limit: a write ending past OFF_T_MAX is cut short. */
    fill(buf, 0, 100, 4);
    ST_CHECK(file_write_at(f, buf, 100, OFF_T_MAX - 10) == 10, "write at the size limit");
    ST_CHECK(file_length(f) == OFF_T_MAX, "length at the limit is %d", file_length(f));
    ST_CHECK(file_write_at(f, buf, 100, OFF_T_MAX) == 0, "write past the limit");
    ST_CHECK(file_read_at(f, buf, 100, OFF_T_MAX - 10) == 10, "read at the limit");
    file_seek(f, -5);
    ST_CHECK(file_tell(f) == OFF_T_MAX && file_read(f, buf, 10) == 0, "negative seek");
    st_msg("2 GiB size limit respected");

    /* Reopen starts at 0; duplicate keeps the position; both share data. */
    file_seek(f, 1234);
    g = file_reopen(f);
    h = file_duplicate(f);
    ST_CHECK(g && h, "reopen or duplicate failed");
    if (g && h) {
        ST_CHECK(file_tell(g) == 0 && file_tell(h) == 1234, "reopen/duplicate positions");
        ST_CHECK(file_get_inode(g) == file_get_inode(f)
                 && file_get_inode(h) == file_get_inode(f), "inode not shared");
        ST_CHECK(inode_open_count(file_get_inode(f)) == 3, "open count is not 3");
        file_read(h, buf, 10);
        ST_CHECK(file_tell(h) == 1244 && file_tell(f) == 1234, "positions not independent");
        /* Deny-write through one file stops writes through all, and
         * keeps writable mappings off the inode. */
        ST_CHECK(file_deny_write(g) && file_deny_write(g), "deny refused");
        ST_CHECK(file_write_at(f, buf, 10, 0) == 0 && file_write(h, buf, 10) == 0,
                 "write while denied");
        ST_CHECK(!file_map_writable(h), "writable mapping of a denied inode");
        file_allow_write(g);
        ST_CHECK(file_write_at(f, buf, 10, 0) == 10, "write after allow failed");
        /* A writable mapping's count keeps denies off, until its close. */
        ST_CHECK(file_map_writable(h) && file_map_writable(h), "writable mapping refused");
        ST_CHECK(!file_deny_write(g), "deny of an inode mapped writable");
        file_close(h);                       /* closing releases the count */
        h = file_duplicate(f);
        ST_CHECK(h && file_deny_write(h), "deny after the mapping's close refused");
        file_close(h);                       /* closing releases the deny */
        ST_CHECK(file_write_at(f, buf, 10, 0) == 10, "deny outlived its file");
        fill(buf, 0, 10, 1);
        file_write_at(g, buf, 10, 0);        /* restore pattern 1 */
        file_close(g);
    } else {
        file_close(g);
        file_close(h);
    }
    st_msg("reopen, duplicate, deny-write and writable mappings work");

    /* Removal while open: the name goes, the data stays until close. */
    ST_CHECK(filesys_remove("st.a"), "remove of open st.a failed");
    ST_CHECK(filesys_open("st.a") == NULL, "st.a opened after removal");
    ST_CHECK(!filesys_remove("st.a"), "st.a removed twice");
    if (!read_steps(f, buf, 0, 10000, 4096, 1, "removed file"))
        goto out;
    ST_CHECK(file_write_at(f, buf, 10, 20000) == 10, "write to removed file failed");
    ST_CHECK(filesys_create("st.a", 0), "cannot reuse a removed name");
    g = filesys_open("st.a");
    ST_CHECK(g && file_length(g) == 0 && file_get_inode(g) != file_get_inode(f),
             "new st.a is not a new empty file");
    file_close(g);
    ST_CHECK(filesys_remove("st.a"), "remove of the new st.a failed");
    ST_CHECK(filesys_free_blocks() < free0, "blocks of the removed open file were freed");
    st_msg("removed file stays readable while open");
out:
    file_close(f);
    filesys_remove("st.a");
    ST_CHECK(filesys_free_blocks() == free0, "close freed %u blocks less than were used",
             free0 - filesys_free_blocks());
    st_msg("closing the removed file freed its blocks");
}

/* Initial size is zeros without blocks; writes past it fill with zeros. */
static void test_initial_size(uint8_t *buf, uint32_t free0)
{
    struct file *f;
    if (!filesys_create("st.b", 5000) || !(f = filesys_open("st.b"))) {
        st_fail("cannot create and open st.b");
        return;
    }
    ST_CHECK(file_length(f) == 5000, "initial length %d", file_length(f));
    ST_CHECK(filesys_free_blocks() == free0, "creating 5000 bytes took blocks");
    read_steps(f, buf, 0, 5000, 5000, ~0u, "initial zeros");
    write_steps(f, buf, 8000, 10, 10, 5);
    read_steps(f, buf, 5000, 3000, 3000, ~0u, "gap past the initial size");
    ST_CHECK(!filesys_create("st.huge", OFF_T_MAX) || filesys_free_blocks() > 524288,
             "created a file larger than the free space");
    filesys_remove("st.huge");
    file_close(f);
    filesys_remove("st.b");
    ST_CHECK(filesys_free_blocks() == free0, "st.b leaked blocks");
    st_msg("initial size reads as zeros");
}

/* Fill the disk: the last write is short, and removal gives it all back.
 * Skipped on large disks, where it would take long. */
static void test_full(uint8_t *buf, uint32_t free0)
{
    struct file *f;
    if (free0 > 4096) {
        st_msg("disk full: skipped (%s)", "large disk");
        return;
    }
    if (!filesys_create("st.full", 0) || !(f = filesys_open("st.full"))) {
        st_fail("cannot create st.full");
        return;
    }
    memset(buf, 0x5A, BUF_SIZE);
    off_t total = 0, w;
    while ((w = file_write(f, buf, BUF_SIZE)) == BUF_SIZE)
        total += w;
    total += w;
    ST_CHECK(filesys_free_blocks() == 0, "write stopped with %u blocks free",
             filesys_free_blocks());
    ST_CHECK(total > 0 && total % BS == 0 && (uint32_t)(total / BS) < free0,
             "wrote %d bytes on a disk with %u free blocks", total, free0);
    ST_CHECK(file_write(f, buf, 1) == 0, "write on a full disk succeeded");
    ST_CHECK(!filesys_create("st.more", 1), "created a 1-byte file on a full disk");
    file_close(f);
    filesys_remove("st.full");
    ST_CHECK(filesys_free_blocks() == free0, "full-disk file leaked blocks");
    st_msg("full disk: short write, blocks returned on removal");
}

/* A file of CLUSTER_BLOCKS blocks, three times the block cache, written
 * and read sequentially: write-back and read-ahead must move it in
 * multi-block requests, a quarter or less of one request per block.
 * Skipped when the disk has too little room. */
#define CLUSTER_BLOCKS 96
static void test_clusters(uint8_t *buf, uint32_t free0)
{
    struct file *f;
    if (free0 < CLUSTER_BLOCKS + 8) {
        st_msg("multi-block requests: skipped (%s)", "small disk");
        return;
    }
    if (!filesys_create("st.c", 0) || !(f = filesys_open("st.c"))) {
        st_fail("cannot create and open st.c");
        return;
    }
    uint64_t w0 = fs.dev->write_ops;
    if (!write_steps(f, buf, 0, CLUSTER_BLOCKS * BS, BUF_SIZE, 6) || !filesys_sync())
        goto out;
    uint64_t writes = fs.dev->write_ops - w0, r0 = fs.dev->read_ops;
    if (!read_steps(f, buf, 0, CLUSTER_BLOCKS * BS, BS, 6, "sequential read"))
        goto out;
    uint64_t reads = fs.dev->read_ops - r0;
    printk("fs test: %u blocks written in %lu requests, read in %lu\n", CLUSTER_BLOCKS,
           (unsigned long)writes, (unsigned long)reads);
    ST_CHECK(writes <= CLUSTER_BLOCKS / 4, "%u blocks written back in %lu requests",
             CLUSTER_BLOCKS, (unsigned long)writes);
    ST_CHECK(reads <= CLUSTER_BLOCKS / 4, "%u blocks read in %lu requests", CLUSTER_BLOCKS,
             (unsigned long)reads);
    st_msg("a file 3 times the cache moves in multi-block requests");
out:
    file_close(f);
    filesys_remove("st.c");
    ST_CHECK(filesys_free_blocks() == free0, "st.c leaked blocks");
}

/* Leave KEEP_NAME for the harness to fetch. */
static void write_keep(uint8_t *buf)
{
    struct file *f;
    filesys_remove(KEEP_NAME);
    if (!filesys_create(KEEP_NAME, 0) || !(f = filesys_open(KEEP_NAME))) {
        st_fail("cannot create %s", KEEP_NAME);
        return;
    }
    write_steps(f, buf, 0, KEEP_SIZE, 3000, 0);
    file_close(f);
}

/* The fs self-test (see the file comment).  Thread context, fs mounted;
 * takes no fs lock itself. */
void selftest_fs(void)
{
    if (!filesys_mounted()) {
        st_fail("no file system mounted (see the kernel log)");
        return;
    }
    uint8_t *buf = kmalloc(BUF_SIZE);
    if (!buf) {
        st_fail("out of memory");
        return;
    }
    uint32_t free0 = filesys_free_blocks();
    if (free0 < 32) {
        st_fail("only %u free blocks; the test needs 32", free0);
        goto out;
    }
    test_names();
    test_data(buf, free0);
    test_initial_size(buf, free0);
    test_clusters(buf, free0);
    test_full(buf, free0);
    ST_CHECK(filesys_free_blocks() == free0, "free blocks %u at the end, %u at the start",
             filesys_free_blocks(), free0);
    write_keep(buf);
    printk("fs test: %u of %u blocks free\n", filesys_free_blocks(), filesys_total_blocks());
out:
    kfree(buf);
}
