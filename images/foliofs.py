"""Payload and swap disk images for Folio (docs/interfaces.md, section 4).

A payload disk is:

    block 0   bytes 0..1023: GRUB environment block carrying folio_cmdline,
              bytes 1024..4095: zero
    block 1   foliofs superblock
    block 2.. free-block bitmap, then the inode table, then data blocks

foliofs version 2 is a tree: inode 0 is the root directory; a directory's
data is an array of 32-byte entries (u32 inumber, 0 for a free entry, and a
16-byte NUL-terminated name) in whole blocks; a symbolic link's data is its
target path.  "." and ".." are not stored: a directory's inode records its
parent.

The writer takes paths ("a/b/c") and makes the directories on the way.  It
lays every file out contiguously, in the order a sequential reader meets
its blocks: the direct data blocks, then the indirect block followed by the
data blocks it maps, then the double-indirect block, each of its indirect
blocks being followed by the data blocks it maps; the directories follow.
Free space is left at the end of the disk as a hole in the (sparse) image
file.

The reader (FolioImage) checks the superblock, walks paths (following
links), follows holes, indirect and double-indirect blocks, so the harness
can fetch files a program wrote; fsck() checks a whole image.
"""

import os
import struct
from dataclasses import dataclass

BLOCK_SIZE = 4096
ENV_BLOCK_SIZE = 1024
ENV_HEADER = b"# GRUB Environment Block\n"
ENV_VARIABLE = b"folio_cmdline="
MAGIC = b"FOLIOFS2"
MAGIC_V1 = b"FOLIOFS1"
INODE_SIZE = 128
DEFAULT_INODE_COUNT = 256
NAME_MAX = 14
N_DIRECT = 12
PTRS_PER_BLOCK = BLOCK_SIZE // 4
MAX_FILE_BLOCKS = N_DIRECT + PTRS_PER_BLOCK + PTRS_PER_BLOCK * PTRS_PER_BLOCK
MAX_FILE_SIZE = min(MAX_FILE_BLOCKS * BLOCK_SIZE, 0xFFFFFFFF)
FLAG_IN_USE = 1
TYPE_FILE, TYPE_DIR, TYPE_SYMLINK = 1, 2, 3
ROOT = 0
DIRENT_SIZE = 32
PATH_MAX = 4096                 # bytes of a path or link target, with the NUL
SYMLINK_MAX = 16                # links one lookup follows at most

SUPERBLOCK = struct.Struct("<8s8I")          # magic, then 8 u32 fields
INODE_HEAD = struct.Struct("<II12IIIII")      # flags .. parent (72 bytes)
DIRENT = struct.Struct("<I16s12x")


class FoliofsError(Exception):
    """A payload image cannot be written or read; the message says why."""


@dataclass(frozen=True)
class Superblock:
    """The fields of a foliofs superblock (block 1)."""
    total_blocks: int
    bitmap_start: int
    bitmap_blocks: int
    inode_start: int
    inode_blocks: int
    inode_count: int
    data_start: int
    block_size: int = BLOCK_SIZE

    def pack(self):
        """Return the superblock as a whole 4096-byte block."""
        raw = SUPERBLOCK.pack(MAGIC, self.block_size, self.total_blocks,
                              self.bitmap_start, self.bitmap_blocks,
                              self.inode_start, self.inode_blocks,
                              self.inode_count, self.data_start)
        return raw.ljust(BLOCK_SIZE, b"\0")


# ---------------------------------------------------------------------------
# GRUB environment block


def env_block(cmdline):
    """Return the 1024-byte GRUB environment block carrying CMDLINE.

    Raises FoliofsError when the command line holds a newline or backslash
    (GRUB would escape them) or does not fit in the block."""
    if "\n" in cmdline or "\r" in cmdline:
        raise FoliofsError("kernel command line may not contain a newline: %r"
                           % cmdline)
    if "\\" in cmdline:
        raise FoliofsError("kernel command line may not contain a backslash: "
                           "%r" % cmdline)
    body = ENV_HEADER + ENV_VARIABLE + cmdline.encode("utf-8") + b"\n"
    if len(body) > ENV_BLOCK_SIZE:
        room = ENV_BLOCK_SIZE - len(ENV_HEADER) - len(ENV_VARIABLE) - 1
        raise FoliofsError("kernel command line is %d bytes long; at most %d "
                           "fit in the GRUB environment block"
                           % (len(body) - (len(ENV_HEADER) + len(ENV_VARIABLE)
                                           + 1), room))
    return body.ljust(ENV_BLOCK_SIZE, b"#")


def parse_env_block(raw):
    """Return folio_cmdline from a 1024-byte environment block, or None."""
    if not raw.startswith(ENV_HEADER):
        return None
    for line in raw[len(ENV_HEADER):].split(b"\n"):
        if line.startswith(ENV_VARIABLE):
            return line[len(ENV_VARIABLE):].decode("utf-8", "replace")
    return None


# ---------------------------------------------------------------------------
# Writer


def check_name(name):
    """Return path component NAME encoded for a directory entry; raise
    FoliofsError if it is invalid (empty, longer than 14 bytes, "." or "..",
    or holding a NUL or a slash)."""
    raw = name.encode("utf-8")
    if not 1 <= len(raw) <= NAME_MAX:
        raise FoliofsError("file name %r must be 1 to %d bytes long"
                           % (name, NAME_MAX))
    if b"\0" in raw or b"/" in raw:
        raise FoliofsError("file name %r may not contain NUL or '/'" % name)
    if raw in (b".", b".."):
        raise FoliofsError("file name %r is reserved" % name)
    return raw


def split_path(path):
    """Return the encoded components of image path PATH ("a/b/c", slashes
    at either end ignored); raise FoliofsError for an empty path or a bad
    component."""
    parts = [part for part in path.split("/") if part]
    if not parts:
        raise FoliofsError("image path %r names no file" % path)
    return [check_name(part) for part in parts]


def blocks_for_size(size):
    """Return (data blocks, pointer blocks) a file of SIZE bytes uses."""
    data = -(-size // BLOCK_SIZE)
    pointers = 0
    rest = data - N_DIRECT
    if rest > 0:
        pointers += 1                                  # the indirect block
        rest -= PTRS_PER_BLOCK
    if rest > 0:
        pointers += 1 + -(-rest // PTRS_PER_BLOCK)     # dindirect + its blocks
    return data, pointers


def plan_layout(sizes, free_blocks, inode_count):
    """Return the Superblock of a disk holding files of SIZES (bytes each)
    with FREE_BLOCKS unused data blocks and INODE_COUNT inodes."""
    used = sum(sum(blocks_for_size(s)) for s in sizes)
    inode_blocks = -(-inode_count * INODE_SIZE // BLOCK_SIZE)
    bitmap_blocks = 1
    while True:
        data_start = 2 + bitmap_blocks + inode_blocks
        total = data_start + used + free_blocks
        needed = -(-total // (BLOCK_SIZE * 8))
        if needed <= bitmap_blocks:
            break
        bitmap_blocks = needed
    if total > 0xFFFFFFFF:
        raise FoliofsError("disk of %d blocks is too large" % total)
    return Superblock(total_blocks=total, bitmap_start=2,
                      bitmap_blocks=bitmap_blocks,
                      inode_start=2 + bitmap_blocks,
                      inode_blocks=inode_blocks, inode_count=inode_count,
                      data_start=data_start)


class _Allocator:
    """Hands out consecutive block numbers and records where file data and
    pointer blocks go, so the image can be written afterwards."""

    def __init__(self, first):
        self.next = first
        self.pointer_blocks = {}         # block number -> list of u32
        self.data_runs = []              # (first block, bytes)

    def take(self):
        """Return the next free block number."""
        block = self.next
        self.next += 1
        return block

    def data(self, content, offset, count):
        """Allocate COUNT data blocks for CONTENT from block index OFFSET;
        return their block numbers."""
        first = self.next
        self.next += count
        chunk = content[offset * BLOCK_SIZE:(offset + count) * BLOCK_SIZE]
        if chunk:
            self.data_runs.append((first, chunk))
        return list(range(first, first + count))


def _indirect(alloc, content, done, nblocks):
    """Allocate an indirect block followed by the data blocks it maps (up
    to 1024, from block index DONE of CONTENT's NBLOCKS); return (its block
    number, the new DONE)."""
    block = alloc.take()
    count = min(nblocks - done, PTRS_PER_BLOCK)
    alloc.pointer_blocks[block] = alloc.data(content, done, count)
    return block, done + count


def _place_file(alloc, content):
    """Allocate the blocks of CONTENT; return (direct list, indirect,
    dindirect) block numbers for its inode."""
    nblocks = -(-len(content) // BLOCK_SIZE)
    direct = alloc.data(content, 0, min(nblocks, N_DIRECT))
    done = len(direct)
    indirect = dindirect = 0
    if done < nblocks:
        indirect, done = _indirect(alloc, content, done, nblocks)
    if done < nblocks:
        dindirect = alloc.take()
        level1 = []
        while done < nblocks:
            block, done = _indirect(alloc, content, done, nblocks)
            level1.append(block)
        alloc.pointer_blocks[dindirect] = level1
    return direct + [0] * (N_DIRECT - len(direct)), indirect, dindirect


def _inode(kind, parent, size, direct, indirect, dindirect):
    """Return the 128 bytes of an in-use inode."""
    head = INODE_HEAD.pack(FLAG_IN_USE, size, *direct, indirect, dindirect,
                           kind, parent)
    return head.ljust(INODE_SIZE, b"\0")


@dataclass
class _Node:
    """An inode the writer is about to lay out."""
    kind: int
    parent: int
    content: bytes = b""
    entries: list = None                 # a directory's (raw name, inumber)


def _add_node(nodes, index, path, node):
    """Add NODE (a file or link) at image PATH to the tree NODES, making the
    directories on the way; INDEX maps (directory, raw name) to inumbers."""
    parts = split_path(path)
    directory = ROOT
    for part in parts[:-1]:
        child = index.get((directory, part))
        if child is None:
            child = len(nodes)
            nodes.append(_Node(TYPE_DIR, directory, entries=[]))
            nodes[directory].entries.append((part, child))
            index[(directory, part)] = child
        elif nodes[child].kind != TYPE_DIR:
            raise FoliofsError("%r: %r is a file, not a directory"
                               % (path, part.decode()))
        directory = child
    if (directory, parts[-1]) in index:
        raise FoliofsError("image path %r is given twice, or is also a "
                           "directory" % path)
    index[(directory, parts[-1])] = len(nodes)
    nodes[directory].entries.append((parts[-1], len(nodes)))
    nodes.append(node)


def _directory_data(entries):
    """Return the data of a directory holding ENTRIES, in whole blocks (at
    least one)."""
    raw = b"".join(DIRENT.pack(number, name) for name, number in entries)
    blocks = max(1, -(-len(raw) // BLOCK_SIZE))
    return raw.ljust(blocks * BLOCK_SIZE, b"\0")


def build_tree(files, links=None):
    """Return the inodes (a list of _Node, the root first) of a tree holding
    FILES ({path: bytes}) and LINKS ({path: target}); raise FoliofsError on
    a bad path or target."""
    nodes = [_Node(TYPE_DIR, ROOT, entries=[])]
    index = {}
    for path, content in files.items():
        if len(content) > MAX_FILE_SIZE:
            raise FoliofsError("file %r is too large for foliofs (%d bytes)"
                               % (path, len(content)))
        _add_node(nodes, index, path, _Node(TYPE_FILE, ROOT, content))
    for path, target in (links or {}).items():
        raw = target.encode("utf-8")
        if not 1 <= len(raw) < PATH_MAX or b"\0" in raw:
            raise FoliofsError("link %r: target %r must be 1 to %d bytes, "
                               "without NUL" % (path, target, PATH_MAX - 1))
        _add_node(nodes, index, path, _Node(TYPE_SYMLINK, ROOT, raw))
    for node in nodes:
        if node.kind == TYPE_DIR:
            node.content = _directory_data(node.entries)
    return nodes


def _bitmap(sb, used_up_to):
    """Return the bitmap blocks with blocks 0..USED_UP_TO-1 marked in use."""
    raw = bytearray(sb.bitmap_blocks * BLOCK_SIZE)
    full, rest = divmod(used_up_to, 8)
    raw[:full] = b"\xff" * full
    if rest:
        raw[full] = (1 << rest) - 1
    return bytes(raw)


def write_payload(path, cmdline, files, free_kb=1024,
                  inode_count=DEFAULT_INODE_COUNT, links=None):
    """Write a payload disk image to PATH.

    CMDLINE is the kernel command line; FILES maps image paths ("name" or
    "dir/name", directories made on the way) to bytes, in the order given;
    LINKS maps image paths to symbolic-link targets; FREE_KB KiB of free
    data blocks are left at the end.  Returns the Superblock.  Raises
    FoliofsError on invalid input."""
    env = env_block(cmdline)
    if inode_count < 1:
        raise FoliofsError("inode count must be at least 1")
    nodes = build_tree(files, links)
    if len(nodes) > inode_count:
        raise FoliofsError("%d files, directories and links (with the root) "
                           "do not fit in %d inodes" % (len(nodes), inode_count))
    if free_kb < 0:
        raise FoliofsError("free space must not be negative")
    free_blocks = -(-free_kb * 1024 // BLOCK_SIZE)
    sb = plan_layout([len(n.content) for n in nodes], free_blocks,
                     inode_count)
    alloc = _Allocator(sb.data_start)
    table = bytearray(sb.inode_blocks * BLOCK_SIZE)
    order = ([i for i, n in enumerate(nodes) if n.kind != TYPE_DIR]
             + [i for i, n in enumerate(nodes) if n.kind == TYPE_DIR])
    for number in order:
        node = nodes[number]
        direct, indirect, dindirect = _place_file(alloc, node.content)
        parent = node.parent if node.kind == TYPE_DIR else 0
        table[number * INODE_SIZE:(number + 1) * INODE_SIZE] = _inode(
            node.kind, parent, len(node.content), direct, indirect, dindirect)
    head = (env + bytes(BLOCK_SIZE - ENV_BLOCK_SIZE) + sb.pack()
            + _bitmap(sb, alloc.next) + bytes(table))
    with open(path, "wb") as out:
        out.write(head)
        for block, chunk in alloc.data_runs:
            out.seek(block * BLOCK_SIZE)
            out.write(chunk)
        for block, pointers in alloc.pointer_blocks.items():
            out.seek(block * BLOCK_SIZE)
            out.write(struct.pack("<%dI" % len(pointers), *pointers))
        out.truncate(sb.total_blocks * BLOCK_SIZE)
    return sb


def set_cmdline(path, cmdline):
    """Replace the kernel command line of the payload image at PATH,
    keeping its file system (to boot a disk again); return its
    Superblock.  Raises FoliofsError when PATH is not a payload image."""
    env = env_block(cmdline)
    with FolioImage(path) as img:
        sb = img.superblock
    with open(path, "r+b") as out:
        out.write(env)
    return sb


def write_swap(path, size_mb):
    """Create PATH as a sparse swap disk of SIZE_MB MiB (all zeros)."""
    if size_mb < 0:
        raise FoliofsError("swap size must not be negative")
    with open(path, "wb") as out:
        out.truncate(size_mb * 1024 * 1024)


# ---------------------------------------------------------------------------
# Reader


@dataclass(frozen=True)
class Inode:
    """An in-use inode read from an image."""
    number: int
    kind: int                   # TYPE_FILE, TYPE_DIR or TYPE_SYMLINK
    parent: int                 # a directory's parent
    size: int
    direct: tuple
    indirect: int
    dindirect: int


class FolioImage:
    """Read-only view of a payload image: folio_cmdline, the file list and
    file contents.  The constructor validates the superblock."""

    def __init__(self, path):
        self.path = str(path)
        self._file = open(self.path, "rb")
        self.disk_size = os.fstat(self._file.fileno()).st_size
        self.superblock = self._read_superblock()
        self._inodes = None

    def close(self):
        """Close the image file."""
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _block(self, number):
        """Return block NUMBER (zeros for 0), checking it is on the disk."""
        if number == 0:
            return bytes(BLOCK_SIZE)
        if number >= self.superblock.total_blocks:
            raise FoliofsError("%s: block %d is beyond the end of the file "
                               "system (%d blocks)"
                               % (self.path, number,
                                  self.superblock.total_blocks))
        self._file.seek(number * BLOCK_SIZE)
        return self._file.read(BLOCK_SIZE).ljust(BLOCK_SIZE, b"\0")

    def _read_superblock(self):
        """Read block 1 and check it describes a sane foliofs layout."""
        if self.disk_size < 2 * BLOCK_SIZE:
            raise FoliofsError("%s: %d bytes is too small for a payload disk "
                               "(no superblock)" % (self.path, self.disk_size))
        self._file.seek(BLOCK_SIZE)
        fields = SUPERBLOCK.unpack(self._file.read(SUPERBLOCK.size))
        if fields[0] == MAGIC_V1:
            raise FoliofsError("%s: foliofs version 1 (one flat directory); "
                               "this reader knows version 2: rebuild the "
                               "image" % self.path)
        if fields[0] != MAGIC:
            raise FoliofsError("%s: bad superblock magic %r (expected %r)"
                               % (self.path, fields[0], MAGIC))
        sb = Superblock(block_size=fields[1], total_blocks=fields[2],
                        bitmap_start=fields[3], bitmap_blocks=fields[4],
                        inode_start=fields[5], inode_blocks=fields[6],
                        inode_count=fields[7], data_start=fields[8])
        _check_superblock(sb, self.disk_size, self.path)
        return sb

    def cmdline(self):
        """Return folio_cmdline from the environment block (None if absent)."""
        self._file.seek(0)
        return parse_env_block(self._file.read(ENV_BLOCK_SIZE))

    def inodes(self):
        """Return the in-use inodes, in table order."""
        return [i for i in self._table() if i is not None]

    def _table(self):
        """Return the inode table: an Inode per in-use inode, else None
        (read once: the image does not change under a reader)."""
        if self._inodes is None:
            self._inodes = self._read_table()
        return self._inodes

    def _read_table(self):
        """Read the inode table (see _table)."""
        sb = self.superblock
        self._file.seek(sb.inode_start * BLOCK_SIZE)
        table = self._file.read(sb.inode_count * INODE_SIZE)
        found = []
        for number in range(sb.inode_count):
            raw = table[number * INODE_SIZE:(number + 1) * INODE_SIZE]
            fields = INODE_HEAD.unpack(raw[:INODE_HEAD.size].ljust(
                INODE_HEAD.size, b"\0"))
            if not fields[0] & FLAG_IN_USE:
                found.append(None)
                continue
            found.append(Inode(number, fields[16], fields[17], fields[1],
                               fields[2:14], fields[14], fields[15]))
        return found

    def inode(self, number):
        """Return in-use inode NUMBER; FoliofsError if it is not one."""
        if 0 <= number < self.superblock.inode_count:
            found = self._table()[number]
            if found is not None:
                return found
        raise FoliofsError("%s: inode %d is not in use" % (self.path, number))

    def entries(self, directory):
        """Return the (name, inumber) entries of directory inode DIRECTORY,
        in order, free entries left out."""
        found = []
        nblocks = directory.size // BLOCK_SIZE
        for number in self._block_map(directory, nblocks):
            if number == 0:                 # a hole holds no entry
                continue
            data = self._block(number)
            for offset in range(0, BLOCK_SIZE, DIRENT_SIZE):
                inumber, raw = DIRENT.unpack_from(data, offset)
                if inumber:
                    name = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
                    found.append((name, inumber))
        return found

    def lookup(self, path, follow=True):
        """Return the Inode image path PATH names (from the root; "." and
        ".." understood; links followed in every component, and in the last
        one with FOLLOW); FoliofsError when there is none."""
        parts = [p for p in path.split("/") if p]
        current = self.inode(ROOT)
        links = 0
        while parts:
            part = parts.pop(0)
            if current.kind != TYPE_DIR:
                raise FoliofsError("%s: %r: not a directory on the way"
                                   % (self.path, path))
            if part == ".":
                continue
            if part == "..":
                current = self.inode(current.parent)
                continue
            names = dict(self.entries(current))
            if part not in names:
                raise FoliofsError("%s: no file named %r (files: %s)"
                                   % (self.path, path,
                                      ", ".join(n for n, _ in self.files())
                                      or "none"))
            found = self.inode(names[part])
            if found.kind == TYPE_SYMLINK and (parts or follow):
                links += 1
                if links > SYMLINK_MAX:
                    raise FoliofsError("%s: %r: too many links" % (self.path,
                                                                  path))
                target = self.read_inode(found).decode("utf-8", "replace")
                parts = [p for p in target.split("/") if p] + parts
                if target.startswith("/"):
                    current = self.inode(ROOT)
                continue
            current = found
        return current

    def tree(self):
        """Return every name on the disk, depth first in entry order, as
        (path, Inode, link target or None)."""
        found = []
        seen = {ROOT}
        def walk(directory, prefix):
            for name, number in self.entries(directory):
                if number in seen:
                    raise FoliofsError("%s: inode %d has two names"
                                       % (self.path, number))
                seen.add(number)
                inode = self.inode(number)
                target = None
                if inode.kind == TYPE_SYMLINK:
                    target = self.read_inode(inode).decode("utf-8", "replace")
                found.append((prefix + name, inode, target))
                if inode.kind == TYPE_DIR:
                    walk(inode, prefix + name + "/")
        walk(self.inode(ROOT), "")
        return found

    def listing(self):
        """Return one line per name on the disk: its size and path, a
        directory's with a trailing '/', a link's with its target."""
        lines = []
        for path, inode, target in self.tree():
            if inode.kind == TYPE_DIR:
                path += "/"
            elif target is not None:
                path += " -> " + target
            lines.append("%10d  %s" % (inode.size, path))
        return lines

    def files(self):
        """Return a list of (path, size) of the regular files on the disk."""
        return [(path, inode.size) for path, inode, _ in self.tree()
                if inode.kind == TYPE_FILE]

    def _pointers(self, number):
        """Return the 1024 block numbers held in pointer block NUMBER (all
        holes when NUMBER is 0)."""
        raw = self._block(number)
        return list(struct.unpack("<%dI" % PTRS_PER_BLOCK, raw))

    def _block_map(self, inode, nblocks):
        """Return the first NBLOCKS block numbers of INODE (0 = hole)."""
        blocks = list(inode.direct)
        if nblocks > N_DIRECT:
            blocks += self._pointers(inode.indirect)
        rest = nblocks - N_DIRECT - PTRS_PER_BLOCK
        if rest > 0:
            level1 = self._pointers(inode.dindirect)
            for number in level1[:-(-rest // PTRS_PER_BLOCK)]:
                blocks += self._pointers(number)
        return blocks[:nblocks]

    def block_of(self, path, offset):
        """Return the number of the disk block holding byte OFFSET of file
        PATH; FoliofsError if there is no such file, the offset is past its
        end or falls in a hole."""
        inode = self.lookup(path)
        if not 0 <= offset < inode.size:
            raise FoliofsError("%s: offset %d is outside %r (%d bytes)"
                               % (self.path, offset, path, inode.size))
        number = self._block_map(inode, offset // BLOCK_SIZE + 1)[-1]
        if number == 0:
            raise FoliofsError("%s: offset %d of %r is in a hole"
                               % (self.path, offset, path))
        return number

    def read(self, path):
        """Return the contents of file PATH; FoliofsError if it is absent or
        a directory."""
        inode = self.lookup(path)
        if inode.kind != TYPE_FILE:
            raise FoliofsError("%s: %r is a directory" % (self.path, path))
        return self.read_inode(inode)

    def read_inode(self, inode):
        """Return the contents of INODE, holes reading as zeros."""
        if inode.size > MAX_FILE_SIZE:
            raise FoliofsError("%s: inode %d has impossible size %d"
                               % (self.path, inode.number, inode.size))
        nblocks = -(-inode.size // BLOCK_SIZE)
        data = b"".join(self._block(b) for b in self._block_map(inode,
                                                                  nblocks))
        return data[:inode.size]


    def _tree_blocks(self, inode, problems):
        """Return (every block INODE's tree holds, data and index blocks;
        how many of them are data blocks), adding to PROBLEMS a block
        outside the data area."""
        sb = self.superblock
        held = []
        data = []
        def take(number, what):
            if not sb.data_start <= number < sb.total_blocks:
                problems.append("inode %d: %s block %d outside the data area"
                                % (inode.number, what, number))
                return False
            held.append(number)
            if what == "data":
                data.append(number)
            return True
        for number in inode.direct:
            if number:
                take(number, "data")
        if inode.indirect and take(inode.indirect, "indirect"):
            for number in self._pointers(inode.indirect):
                if number:
                    take(number, "data")
        if inode.dindirect and take(inode.dindirect, "double-indirect"):
            for level1 in self._pointers(inode.dindirect):
                if level1 and take(level1, "indirect"):
                    for number in self._pointers(level1):
                        if number:
                            take(number, "data")
        return held, len(data)

    def fsck(self):
        """Check the whole file system; return a list of problems (empty
        when clean): every block owned once and marked in the bitmap exactly
        when owned, every inode of a known type and sane size, every
        directory entry a proper name of an in-use inode, unique in its
        directory, each inode named once (its link count: no hard links),
        each directory's parent right, and no in-use inode unnamed (an
        orphan)."""
        sb = self.superblock
        problems = []
        owner = {}
        table = self._table()
        for inode in self.inodes():
            if inode.kind not in (TYPE_FILE, TYPE_DIR, TYPE_SYMLINK):
                problems.append("inode %d: unknown type %d"
                                % (inode.number, inode.kind))
                continue
            if inode.size > MAX_FILE_SIZE or (
                    inode.kind == TYPE_DIR and inode.size % BLOCK_SIZE):
                problems.append("inode %d: bad size %d"
                                % (inode.number, inode.size))
                continue
            held, data = self._tree_blocks(inode, problems)
            if inode.kind == TYPE_DIR and inode.size // BLOCK_SIZE > data:
                problems.append("inode %d: a directory of %d bytes maps %d blocks"
                                % (inode.number, inode.size, data))
            for number in held:
                if number in owner:
                    problems.append("block %d owned by inodes %d and %d"
                                    % (number, owner[number], inode.number))
                owner[number] = inode.number
        self._file.seek(sb.bitmap_start * BLOCK_SIZE)
        bitmap = self._file.read(sb.bitmap_blocks * BLOCK_SIZE)
        for number in range(sb.total_blocks):
            used = bool(bitmap[number // 8] >> (number % 8) & 1)
            wanted = number < sb.data_start or number in owner
            if used != wanted:
                problems.append("block %d is %s in the bitmap but %s"
                                % (number, "used" if used else "free",
                                   "owned" if wanted else "owned by nobody"))
        root = table[ROOT]
        if root is None or root.kind != TYPE_DIR or root.parent != ROOT:
            return problems + ["inode 0 is not the root directory"]
        named = {ROOT: 1}
        queue = [root]
        while queue and not problems:
            directory = queue.pop(0)
            seen = set()
            for name, number in self.entries(directory):
                where = "directory %d, entry %r" % (directory.number, name)
                raw = name.encode("utf-8")
                if (not 1 <= len(raw) <= NAME_MAX or "/" in name
                        or name in (".", "..") or name in seen):
                    problems.append("%s: bad or repeated name" % where)
                seen.add(name)
                target = (table[number] if 0 <= number < len(table)
                          else None)
                if target is None or number == ROOT:
                    problems.append("%s: names inode %d, which is not in use"
                                    % (where, number))
                    continue
                named[number] = named.get(number, 0) + 1
                if named[number] > 1:
                    problems.append("%s: inode %d has %d names (link count "
                                    "1)" % (where, number, named[number]))
                    continue
                if target.kind == TYPE_DIR:
                    if target.parent != directory.number:
                        problems.append("%s: directory's parent is %d"
                                        % (where, target.parent))
                    queue.append(target)
        for inode in self.inodes():
            if inode.number not in named and not problems:
                problems.append("inode %d is in use but has no name (an "
                                "orphan)" % inode.number)
        return problems


def _check_superblock(sb, disk_size, path):
    """Raise FoliofsError unless superblock SB fits a disk of DISK_SIZE."""
    def fail(why):
        raise FoliofsError("%s: bad superblock: %s" % (path, why))
    if sb.block_size != BLOCK_SIZE:
        fail("block_size is %d, expected %d" % (sb.block_size, BLOCK_SIZE))
    if sb.total_blocks * BLOCK_SIZE > disk_size:
        fail("total_blocks %d needs %d bytes but the image has %d"
             % (sb.total_blocks, sb.total_blocks * BLOCK_SIZE, disk_size))
    covered = sb.bitmap_blocks * BLOCK_SIZE * 8
    if sb.bitmap_start < 2 or covered < sb.total_blocks:
        fail("bitmap (start %d, %d blocks) cannot cover %d blocks"
             % (sb.bitmap_start, sb.bitmap_blocks, sb.total_blocks))
    if sb.inode_start < sb.bitmap_start + sb.bitmap_blocks:
        fail("inode table (block %d) overlaps the bitmap" % sb.inode_start)
    if sb.inode_blocks * BLOCK_SIZE < sb.inode_count * INODE_SIZE:
        fail("%d inode blocks cannot hold %d inodes"
             % (sb.inode_blocks, sb.inode_count))
    if sb.data_start < sb.inode_start + sb.inode_blocks:
        fail("data_start %d overlaps the inode table" % sb.data_start)
    if sb.data_start > sb.total_blocks:
        fail("data_start %d is beyond total_blocks %d"
             % (sb.data_start, sb.total_blocks))
