"""Unit tests of the payload/swap image writer and reader
(images/foliofs.py): round trips, layout, holes and validation."""

import os
import struct

import pytest

from images import foliofs
from images.foliofs import (BLOCK_SIZE, FoliofsError, FolioImage, env_block,
                            write_payload, write_swap)

SIZES = {"empty": 0, "one": 1, "page": 4096, "sixty-k": 60 * 1024,
         "direct-edge": 12 * 4096, "indirect": 13 * 4096 + 5,
         "five-mb": 5 * 1024 * 1024}


def pattern(size, seed):
    """Return SIZE bytes that differ from block to block and file to file."""
    block = bytes((seed * 7 + i) % 251 for i in range(BLOCK_SIZE))
    out = bytearray()
    number = 0
    while len(out) < size:
        out += struct.pack("<I", number) + block[4:]
        number += 1
    return bytes(out[:size])


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """A payload image holding files of every interesting size."""
    path = tmp_path_factory.mktemp("img") / "payload.img"
    files = {name: pattern(size, i) for i, (name, size) in
             enumerate(SIZES.items())}
    sb = write_payload(path, "run args a  b", files, free_kb=64)
    return path, files, sb


def test_round_trip_byte_exact(image):
    path, files, _ = image
    with FolioImage(path) as img:
        assert img.files() == [(name, len(data)) for name, data in
                               files.items()]
        for name, data in files.items():
            assert img.read(name) == data, name


def test_env_block_at_start(image):
    path, _, _ = image
    with open(path, "rb") as f:
        head = f.read(BLOCK_SIZE)
    assert head[:1024] == (b"# GRUB Environment Block\nfolio_cmdline=run args"
                           b" a  b\n").ljust(1024, b"#")
    assert head[1024:] == bytes(BLOCK_SIZE - 1024)
    with FolioImage(path) as img:
        assert img.cmdline() == "run args a  b"


def test_layout_superblock_and_bitmap(image):
    path, files, sb = image
    assert (sb.bitmap_start, sb.bitmap_blocks) == (2, 1)
    assert (sb.inode_start, sb.inode_blocks, sb.inode_count) == (3, 8, 256)
    assert sb.data_start == 11
    used = sum(sum(foliofs.blocks_for_size(len(d))) for d in files.values())
    used += 1                                   # the root directory's block
    assert sb.total_blocks == sb.data_start + used + 16
    assert os.path.getsize(path) == sb.total_blocks * BLOCK_SIZE
    with open(path, "rb") as f:
        f.seek(2 * BLOCK_SIZE)
        bitmap = f.read(BLOCK_SIZE)
    in_use = [b for b in range(sb.total_blocks) if bitmap[b // 8] >> (b % 8) & 1]
    assert in_use == list(range(sb.data_start + used))


def test_blocks_contiguous_indirect_after_direct(image):
    path, files, sb = image
    with FolioImage(path) as img:
        inodes = {name: img.lookup(name) for name in files}
    empty = inodes["empty"]
    assert empty.direct == (0,) * 12 and empty.indirect == empty.dindirect == 0
    big = inodes["indirect"]
    assert list(big.direct) == list(range(big.direct[0], big.direct[0] + 12))
    assert big.indirect == big.direct[11] + 1
    assert big.dindirect == 0
    huge = inodes["five-mb"]
    with FolioImage(path) as img:
        indirect = img._pointers(huge.indirect)
        level1 = img._pointers(huge.dindirect)
        first = img._pointers(level1[0])
    assert indirect == list(range(huge.indirect + 1, huge.indirect + 1025))
    assert huge.dindirect == indirect[-1] + 1
    assert level1[0] == huge.dindirect + 1
    assert first[0] == level1[0] + 1
    rest = 5 * 256 - 12 - 1024                  # data blocks past indirect
    assert first[:rest] == list(range(first[0], first[0] + rest))
    assert first[rest:] == [0] * (1024 - rest) and level1[1:] == [0] * 1023


def test_blocks_for_size():
    assert foliofs.blocks_for_size(0) == (0, 0)
    assert foliofs.blocks_for_size(12 * 4096) == (12, 0)
    assert foliofs.blocks_for_size(12 * 4096 + 1) == (13, 1)
    assert foliofs.blocks_for_size((12 + 1024) * 4096) == (1036, 1)
    assert foliofs.blocks_for_size((12 + 1024) * 4096 + 1) == (1037, 3)


def test_holes_read_as_zeros(tmp_path):
    """A file whose blocks are 0 (written by the kernel sparsely) reads as
    zeros, in the direct, indirect and double-indirect ranges."""
    path = tmp_path / "p.img"
    sb = write_payload(path, "x", {"f": b"A" * 4096}, free_kb=16)
    size = (12 + 1024 + 2) * 4096
    with FolioImage(path) as img:
        inode = img.lookup("f")
    data_block = inode.direct[0]
    where = sb.inode_start * BLOCK_SIZE + inode.number * 128
    with open(path, "r+b") as f:
        f.seek(where)
        raw = bytearray(f.read(128))
        struct.pack_into("<II", raw, 0, 1, size)
        struct.pack_into("<12I", raw, 8, 0, data_block, *([0] * 10))
        struct.pack_into("<II", raw, 56, 0, data_block + 2)
        f.seek(where)
        f.write(raw)
        # data_block + 1 is the root directory's; the next are free
        f.seek((data_block + 2) * BLOCK_SIZE)       # dindirect -> [blk+3]
        f.write(struct.pack("<I", data_block + 3))
        f.seek((data_block + 3) * BLOCK_SIZE)       # indirect -> [0, data]
        f.write(struct.pack("<2I", 0, data_block))
    with FolioImage(path) as img:
        data = img.read("f")
    assert len(data) == size
    assert data[:4096] == bytes(4096)
    assert data[4096:8192] == b"A" * 4096
    assert data[8192:-4096] == bytes(size - 12288)
    assert data[-4096:] == b"A" * 4096


def test_swap_is_sparse(tmp_path):
    path = tmp_path / "swap.img"
    write_swap(path, 4)
    assert os.path.getsize(path) == 4 * 1024 * 1024
    assert os.stat(path).st_blocks * 512 < 64 * 1024


def test_cmdline_rejects_newline_and_backslash():
    with pytest.raises(FoliofsError, match="newline"):
        env_block("run a\nb")
    with pytest.raises(FoliofsError, match="backslash"):
        env_block("run a\\b")
    assert len(env_block("x" * 984)) == 1024
    with pytest.raises(FoliofsError, match="at most 984"):
        env_block("x" * 985)


@pytest.mark.parametrize("files, message", [
    ({"": b""}, "names no file"),
    ({"fifteen-chars-x": b""}, "1 to 14 bytes"),
    ({"a/../b": b""}, "is reserved"),
    ({"a": b"", "a/b": b""}, "is a file"),
    ({"a/b": b"", "a": b""}, "given twice"),
])
def test_bad_names(tmp_path, files, message):
    with pytest.raises(FoliofsError, match=message):
        write_payload(tmp_path / "p.img", "x", files)


def test_too_many_files(tmp_path):
    files = {"f%d" % i: b"" for i in range(5)}
    with pytest.raises(FoliofsError, match="do not fit in 4 inodes"):
        write_payload(tmp_path / "p.img", "x", files, inode_count=4)


def corrupt(path, offset, fmt, *values):
    """Overwrite the superblock field at OFFSET of the image at PATH."""
    with open(path, "r+b") as f:
        f.seek(BLOCK_SIZE + offset)
        f.write(struct.pack(fmt, *values))


@pytest.mark.parametrize("offset, fmt, value, message", [
    (0, "<8s", b"NOTFOLIO", "bad superblock magic"),
    (8, "<I", 512, "block_size is 512"),
    (12, "<I", 10 ** 6, "total_blocks 1000000 needs"),
    (32, "<I", 100000, "cannot hold 100000 inodes"),
    (36, "<I", 5, "overlaps the inode table"),
])
def test_reader_validates_superblock(tmp_path, offset, fmt, value, message):
    path = tmp_path / "p.img"
    write_payload(path, "x", {"a": b"1"})
    corrupt(path, offset, fmt, value)
    with pytest.raises(FoliofsError, match=message):
        FolioImage(path)


def test_reader_errors(tmp_path):
    path = tmp_path / "p.img"
    path.write_bytes(b"short")
    with pytest.raises(FoliofsError, match="too small"):
        FolioImage(path)
    write_payload(path, "x", {"a": b"1"})
    with FolioImage(path) as img:
        with pytest.raises(FoliofsError, match="no file named 'b'"):
            img.read("b")


def test_block_of(image):
    path, files, _ = image
    with FolioImage(path) as img:
        big = img.lookup("indirect")
        assert img.block_of("indirect", 0) == big.direct[0]
        assert img.block_of("indirect", 12 * BLOCK_SIZE + 5) == big.indirect + 1
        for name, offset, message in (("indirect", len(files["indirect"]), "outside"),
                                      ("empty", 0, "outside"), ("none", 0, "no file")):
            with pytest.raises(foliofs.FoliofsError, match=message):
                img.block_of(name, offset)


def tree_image(tmp_path):
    """An image holding directories, files and links."""
    path = tmp_path / "tree.img"
    sb = write_payload(path, "x", {"a/b/f": b"file f", "a/g": b"g" * 5000,
                                   "top": b"top"},
                       links={"a/up": "../top", "abs": "/a/b", "self": "self",
                              "dangling": "nowhere"}, free_kb=16)
    return path, sb


def test_paths_and_links(tmp_path):
    path, _ = tree_image(tmp_path)
    with FolioImage(path) as img:
        assert img.read("a/b/f") == b"file f"
        assert img.read("/a/./b/../g") == b"g" * 5000
        assert img.read("a/up") == b"top"               # relative to a/
        assert img.read("abs/f") == b"file f"           # through a link
        assert img.read("../../top") == b"top"          # .. at the root
        assert img.lookup("abs", follow=False).kind == foliofs.TYPE_SYMLINK
        for bad, message in (("self", "too many links"), ("dangling", "no file"),
                             ("top/x", "not a directory"), ("a", "is a directory")):
            with pytest.raises(FoliofsError, match=message):
                img.read(bad)
        assert img.files() == [("a/b/f", 6), ("a/g", 5000), ("top", 3)]
        assert "         7  dangling -> nowhere" in img.listing()
        assert img.fsck() == []


def patch(path, offset, fmt, *values):
    """Overwrite bytes at OFFSET of the image at PATH."""
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(struct.pack(fmt, *values))


def test_fsck_finds_what_is_wrong(tmp_path):
    path, sb = tree_image(tmp_path)
    with FolioImage(path) as img:
        top = img.lookup("top")
        root_block = img.inode(0).direct[0]
    bitmap = sb.bitmap_start * BLOCK_SIZE
    cases = [
        # a block in use that nobody owns
        ((bitmap + sb.total_blocks // 8 - 1, "<B", 0x80), "used in the bitmap but owned by nobody"),
        # top's data block marked free
        ((bitmap + top.direct[0] // 8, "<B", 0), "free in the bitmap but owned"),
        # the root's first entry renamed to another entry's name
        ((root_block * BLOCK_SIZE + 4, "<4s", b"top\0"), "bad or repeated name"),
        # an entry naming a free inode
        ((root_block * BLOCK_SIZE, "<I", 200), "not in use"),
        # a directory's parent field wrong
        ((sb.inode_start * BLOCK_SIZE + 1 * 128 + 68, "<I", 5), "parent is 5"),
        # an in-use inode nobody names
        ((sb.inode_start * BLOCK_SIZE + 100 * 128, "<II", 1, 0), "orphan"),
        # two owners of one block
        ((sb.inode_start * BLOCK_SIZE + top.number * 128 + 12, "<I", top.direct[0]),
         "owned by inodes"),
    ]
    original = path.read_bytes()
    for (offset, fmt, *values), message in cases:
        path.write_bytes(original)
        patch(path, offset, fmt, *values)
        if fmt == "<II":                        # the orphan: a file type too
            patch(path, offset + 64, "<I", foliofs.TYPE_FILE)
        with FolioImage(path) as img:
            problems = img.fsck()
        assert any(message in p for p in problems), (message, problems)


def test_version_1_is_refused_by_name(tmp_path):
    path = tmp_path / "p.img"
    write_payload(path, "x", {"a": b"1"})
    corrupt(path, 0, "<8s", foliofs.MAGIC_V1)
    with pytest.raises(FoliofsError, match="version 1"):
        FolioImage(path)


def test_set_cmdline_keeps_the_tree(tmp_path):
    path, _ = tree_image(tmp_path)
    foliofs.set_cmdline(path, "run again")
    with FolioImage(path) as img:
        assert img.cmdline() == "run again"
        assert img.read("a/b/f") == b"file f" and img.fsck() == []


def test_a_huge_sparse_directory(tmp_path):
    """A directory whose size claims 2 GiB but maps one block: the reader
    lists its one block's entries without reading the holes, and fsck
    says the size is wrong (the kernel refuses to mount it)."""
    path, sb = tree_image(tmp_path)
    with FolioImage(path) as img:
        a = img.lookup("a")
    patch(path, sb.inode_start * BLOCK_SIZE + a.number * 128 + 4, "<I", 0x7FFFF000)
    with FolioImage(path) as img:
        assert [name for name, _ in img.entries(img.lookup("a"))] == ["b", "g", "up"]
        assert any("a directory of 2147479552 bytes maps 1 blocks" in p
                   for p in img.fsck())
