"""Payload and swap disk images for Folio (docs/interfaces.md, section 4).

A payload disk is:

    block 0   bytes 0..1023: GRUB environment block carrying folio_cmdline,
              bytes 1024..4095: zero
    block 1   foliofs superblock
    block 2.. free-block bitmap, then the inode table, then data blocks

The writer lays every file out contiguously, in the order a sequential
reader meets its blocks: the direct data blocks, then the indirect block
followed by the data blocks it maps, then the double-indirect block, each of
its indirect blocks being followed by the data blocks it maps.  Free space
is left at the end of the disk as a hole in the (sparse) image file.

The reader (FolioImage) checks the superblock and follows holes, indirect
and double-indirect blocks, so the harness can fetch files a program wrote.
"""

import os
import struct
from dataclasses import dataclass

BLOCK_SIZE = 4096
ENV_BLOCK_SIZE = 1024
ENV_HEADER = b"# GRUB Environment Block\n"
ENV_VARIABLE = b"folio_cmdline="
MAGIC = b"FOLIOFS1"
INODE_SIZE = 128
DEFAULT_INODE_COUNT = 256
NAME_MAX = 14
N_DIRECT = 12
PTRS_PER_BLOCK = BLOCK_SIZE // 4
MAX_FILE_BLOCKS = N_DIRECT + PTRS_PER_BLOCK + PTRS_PER_BLOCK * PTRS_PER_BLOCK
MAX_FILE_SIZE = min(MAX_FILE_BLOCKS * BLOCK_SIZE, 0xFFFFFFFF)
FLAG_IN_USE = 1

SUPERBLOCK = struct.Struct("<8s8I")          # magic, then 8 u32 fields
INODE_HEAD = struct.Struct("<II12III16s")     # flags .. name (80 bytes)


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
    """Return NAME encoded for an inode; raise FoliofsError if it is invalid
    (empty, longer than 14 bytes, or holding a NUL or a slash)."""
    raw = name.encode("utf-8")
    if not 1 <= len(raw) <= NAME_MAX:
        raise FoliofsError("file name %r must be 1 to %d bytes long"
                           % (name, NAME_MAX))
    if b"\0" in raw or b"/" in raw:
        raise FoliofsError("file name %r may not contain NUL or '/'" % name)
    return raw


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


def _inode(name, size, direct, indirect, dindirect):
    """Return the 128 bytes of an in-use inode."""
    head = INODE_HEAD.pack(FLAG_IN_USE, size, *direct, indirect, dindirect,
                           name)
    return head.ljust(INODE_SIZE, b"\0")


def _bitmap(sb, used_up_to):
    """Return the bitmap blocks with blocks 0..USED_UP_TO-1 marked in use."""
    raw = bytearray(sb.bitmap_blocks * BLOCK_SIZE)
    full, rest = divmod(used_up_to, 8)
    raw[:full] = b"\xff" * full
    if rest:
        raw[full] = (1 << rest) - 1
    return bytes(raw)


def write_payload(path, cmdline, files, free_kb=1024,
                  inode_count=DEFAULT_INODE_COUNT):
    """Write a payload disk image to PATH.

    CMDLINE is the kernel command line; FILES maps image names to bytes (in
    the order given); FREE_KB KiB of free data blocks are left at the end.
    Returns the Superblock.  Raises FoliofsError on invalid input."""
    env = env_block(cmdline)
    if inode_count < 1:
        raise FoliofsError("inode count must be at least 1")
    if len(files) > inode_count:
        raise FoliofsError("%d files do not fit in %d inodes"
                           % (len(files), inode_count))
    names = [check_name(name) for name in files]
    if len(set(names)) != len(names):
        raise FoliofsError("duplicate file names in %s" % sorted(files))
    for name, content in files.items():
        if len(content) > MAX_FILE_SIZE:
            raise FoliofsError("file %r is too large for foliofs (%d bytes)"
                               % (name, len(content)))
    if free_kb < 0:
        raise FoliofsError("free space must not be negative")
    free_blocks = -(-free_kb * 1024 // BLOCK_SIZE)
    sb = plan_layout([len(c) for c in files.values()], free_blocks,
                     inode_count)
    alloc = _Allocator(sb.data_start)
    table = bytearray(sb.inode_blocks * BLOCK_SIZE)
    for index, (raw_name, content) in enumerate(zip(names, files.values())):
        direct, indirect, dindirect = _place_file(alloc, content)
        table[index * INODE_SIZE:(index + 1) * INODE_SIZE] = _inode(
            raw_name, len(content), direct, indirect, dindirect)
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
    name: str
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
        sb = self.superblock
        self._file.seek(sb.inode_start * BLOCK_SIZE)
        table = self._file.read(sb.inode_count * INODE_SIZE)
        found = []
        for number in range(sb.inode_count):
            raw = table[number * INODE_SIZE:(number + 1) * INODE_SIZE]
            fields = INODE_HEAD.unpack(raw[:INODE_HEAD.size])
            if not fields[0] & FLAG_IN_USE:
                continue
            name = fields[16].split(b"\0", 1)[0].decode("utf-8", "replace")
            found.append(Inode(number, name, fields[1], fields[2:14],
                               fields[14], fields[15]))
        return found

    def files(self):
        """Return a list of (name, size) of the files on the disk."""
        return [(inode.name, inode.size) for inode in self.inodes()]

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

    def block_of(self, name, offset):
        """Return the number of the disk block holding byte OFFSET of file
        NAME; FoliofsError if there is no such file, the offset is past its
        end or falls in a hole."""
        for inode in self.inodes():
            if inode.name != name:
                continue
            if not 0 <= offset < inode.size:
                raise FoliofsError("%s: offset %d is outside %r (%d bytes)"
                                   % (self.path, offset, name, inode.size))
            number = self._block_map(inode, offset // BLOCK_SIZE + 1)[-1]
            if number == 0:
                raise FoliofsError("%s: offset %d of %r is in a hole"
                                   % (self.path, offset, name))
            return number
        raise FoliofsError("%s: no file named %r" % (self.path, name))

    def read(self, name):
        """Return the contents of file NAME; FoliofsError if it is absent."""
        for inode in self.inodes():
            if inode.name == name:
                return self.read_inode(inode)
        raise FoliofsError("%s: no file named %r (files: %s)"
                           % (self.path, name,
                              ", ".join(n for n, _ in self.files()) or "none"))

    def read_inode(self, inode):
        """Return the contents of INODE, holes reading as zeros."""
        if inode.size > MAX_FILE_SIZE:
            raise FoliofsError("%s: file %r has impossible size %d"
                               % (self.path, inode.name, inode.size))
        nblocks = -(-inode.size // BLOCK_SIZE)
        data = b"".join(self._block(b) for b in self._block_map(inode,
                                                                  nblocks))
        return data[:inode.size]


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
