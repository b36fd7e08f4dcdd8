"""A file-system tree survives a clean power-off and the next boot: one
boot of `dir-persist write` builds it, `images/build --reboot` boots the
same disk again with `dir-persist check`, which must find it whole, and
the host side reads the same tree (--list, --fetch through a link) and
finds the image clean (fsck).  A disk of the old flat format is refused
by name."""

import os
import shlex
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


def test_a_version_1_image_is_refused_by_name(folio, tmp_path):
    """A disk of the flat format before directories (magic FOLIOFS1) is
    not mounted, and the kernel log says why; the kernel still powers off
    cleanly (the program cannot be loaded)."""
    out = tmp_path / "v1"
    status, text = build_tool(folio, "--out", str(out), "--program", PROGRAM,
                              "--cmdline", "run dir-persist check")
    assert status == 0, text
    argv = shlex.split(text.strip().splitlines()[-1])   # the QEMU command
    with open(out / "payload.img", "r+b") as img:
        img.seek(foliofs.BLOCK_SIZE)
        img.write(foliofs.MAGIC_V1)
    end = qemu.run(argv, 60 * folio.timeout_factor)
    assert end.status == qemu.EXIT_POWER_OFF
    log = (out / "kernel.log").read_text(errors="replace")
    assert ("fs: hd0:0: foliofs version 1 (one flat directory); this kernel "
            "mounts version 2 (FOLIOFS2): rebuild the image with images/build; "
            "file system not mounted") in log, log
    console = (out / "console.txt").read_text(errors="replace")
    assert "load: dir-persist: open failed" in console, console
    with pytest.raises(foliofs.FoliofsError, match="version 1"):
        foliofs.FolioImage(str(out / "payload.img"))
