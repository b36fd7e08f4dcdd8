"""A file-system tree survives a clean power-off and the next boot: one
boot of `dir-persist write` builds it, `images/build --reboot` boots the
same disk again with `dir-persist check`, which must find it whole, and
the host side reads the same tree (--list, --fetch through a link) and
finds the image clean (fsck).  A disk of the old flat format, and disks
whose directory tree is damaged, are refused by name at mount."""

import os
import shlex
import struct
import subprocess
import sys

import pytest

from harness.tools.support import REPO
from images import foliofs, qemu

BUILD_TOOL = os.path.join(REPO, "images", "build")
PROGRAM = os.path.join(REPO, "build", "userland", "dir-persist")


def build_tool(folio, *args):
    """Run images/build with ARGS; return (exit status, its output)."""
    done = subprocess.run([sys.executable, BUILD_TOOL] + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          timeout=120 * folio.timeout_factor, check=False)
    return done.returncode, done.stdout.decode("utf-8", "replace")


def test_a_tree_survives_power_off_and_reboot(folio, tmp_path):
    out = str(tmp_path / "disk")
    timeout = "%d" % (60 * folio.timeout_factor)
    sample = os.path.join(REPO, "userland", "data", "sample.txt")
    status, text = build_tool(folio, "--out", out, "--program", PROGRAM,
                              "--file", "data/in/sample.txt=" + sample,
                              "--inode-count", "400",
                              "--cmdline", "run dir-persist write", "--boot",
                              "--check-exit", "--timeout", timeout)
    assert status == 0, text
    assert "(dir-persist) /many holds 300 files" in text, text

    status, text = build_tool(folio, "--out", out, "--reboot", "--cmdline",
                              "run dir-persist check", "--boot",
                              "--check-exit", "--timeout", timeout)
    assert status == 0, text
    for line in ("(dir-persist) files and links read back",
                 "(dir-persist) /home/big holds what was written",
                 "(dir-persist) /tmp/scratch is gone",
                 "(dir-persist) /many lists 300 files of the right sizes",
                 "(dir-persist) done"):
        assert line in text, text

    image = os.path.join(out, "payload.img")
    with foliofs.FolioImage(image) as img:
        assert img.fsck() == []
        assert img.cmdline() == "run dir-persist check"
        listing = img.listing()
    assert any(line.endswith("  home/notes -> ann/notes") for line in listing)
    assert any(line.endswith("  src -> /home/ann/src") for line in listing)
    assert sum("  many/n" in line for line in listing) == 300
    assert any(line.endswith("  data/in/") for line in listing)
    with open(sample, "rb") as src, foliofs.FolioImage(image) as img:
        assert img.read("data/in/sample.txt") == src.read()
    status, text = build_tool(folio, "--image", image, "--fetch", "src/main.c")
    assert status == 0 and text == "int main (void) { return 0; }\n", text


def test_reboot_needs_an_image(folio, tmp_path):
    status, text = build_tool(folio, "--out", str(tmp_path), "--reboot",
                              "--cmdline", "run x")
    assert status != 0 and "no payload image" in text, text
    status, text = build_tool(folio, "--out", str(tmp_path), "--reboot",
                              "--program", PROGRAM, "--cmdline", "run x")
    assert status != 0 and "--reboot keeps the disk" in text, text


def boot_damaged(folio, out, damage):
    """Build a disk for `dir-persist check` (a directory d holding a file)
    in OUT, let DAMAGE(image file, FolioImage) change it, boot it; return
    the kernel log after a clean power-off, in which the program could not
    be loaded."""
    sample = os.path.join(REPO, "userland", "data", "sample.txt")
    status, text = build_tool(folio, "--out", str(out), "--program", PROGRAM,
                              "--file", "d/f=" + sample,
                              "--cmdline", "run dir-persist check")
    assert status == 0, text
    argv = shlex.split(text.strip().splitlines()[-1])   # the QEMU command
    with foliofs.FolioImage(str(out / "payload.img")) as img, \
            open(out / "payload.img", "r+b") as raw:
        damage(raw, img)
    end = qemu.run(argv, 60 * folio.timeout_factor)
    assert end.status == qemu.EXIT_POWER_OFF
    console = (out / "console.txt").read_text(errors="replace")
    assert "load: dir-persist: open failed" in console, console
    return (out / "kernel.log").read_text(errors="replace")


def inode_field(img, number, offset):
    """The byte offset in the image of a field of inode NUMBER."""
    return (img.superblock.inode_start * foliofs.BLOCK_SIZE
            + number * foliofs.INODE_SIZE + offset)


def test_a_version_1_image_is_refused_by_name(folio, tmp_path):
    """A disk of the flat format before directories (magic FOLIOFS1) is
    not mounted, and the kernel log says why; the kernel still powers off
    cleanly (the program cannot be loaded)."""
    def damage(raw, img):
        raw.seek(foliofs.BLOCK_SIZE)
        raw.write(foliofs.MAGIC_V1)
    log = boot_damaged(folio, tmp_path / "v1", damage)
    assert ("fs: hd0:0: foliofs version 1 (one flat directory); this kernel "
            "mounts version 2 (FOLIOFS2): rebuild the image with images/build; "
            "file system not mounted") in log, log
    with pytest.raises(foliofs.FoliofsError, match="version 1"):
        foliofs.FolioImage(str(tmp_path / "v1" / "payload.img"))


@pytest.mark.parametrize("what, message", [
    ("huge", r"directory inode \d+ is 2147479552 bytes but maps 1 blocks"),
    ("free", r"entry 0 of directory inode \d+ \(inode 200\) names a free or "
             r"missing inode"),
    ("twice", r"names an inode that has another name"),
    ("parent", r"names a directory whose parent is another"),
])
def test_a_malformed_tree_is_not_mounted(folio, tmp_path, what, message):
    """Directory damage the kernel must refuse at mount, without a panic
    or a hang: a directory of 2 GiB that maps one block (a lookup would
    scan half a million empty blocks), an entry naming a free inode, one
    inode named twice, a directory whose parent field is wrong."""
    import re
    def damage(raw, img):
        d = img.lookup("d")
        root_block = img.inode(0).direct[0]
        d_block = d.direct[0]
        if what == "huge":
            raw.seek(inode_field(img, d.number, 4))
            raw.write(struct.pack("<I", 0x7FFFF000))
        elif what == "free":                 # d/f names a free inode
            raw.seek(d_block * foliofs.BLOCK_SIZE)
            raw.write(struct.pack("<I", 200))
        elif what == "twice":                # a second root entry names d
            raw.seek(root_block * foliofs.BLOCK_SIZE + 3 * foliofs.DIRENT_SIZE)
            raw.write(struct.pack("<I16s", d.number, b"d2"))
        else:
            raw.seek(inode_field(img, d.number, 68))
            raw.write(struct.pack("<I", d.number))
    log = boot_damaged(folio, tmp_path / what, damage)
    assert re.search(message, log), log
    assert "file system not mounted" in log, log
