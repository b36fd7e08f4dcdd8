"""Building the disks of one run: the kernel command line, the files put in
the payload file system, and the payload and swap images.

Used by `images/build` (by hand) and by the harness (one run per test).
"""

import os
import shlex
from dataclasses import dataclass
from typing import Optional

from images import foliofs


class ImageError(Exception):
    """The images of a run cannot be built; the message says why."""


@dataclass
class Images:
    """The disks written for one run."""
    payload: str
    swap: Optional[str]
    cmdline: str
    superblock: foliofs.Superblock


def compose_cmdline(action, options="", user_pages=None):
    """Return the kernel command line: `user_pages=N`, then OPTIONS, then
    the ACTION (`run PROGRAM ARGS...` or `selftest NAME`), space separated.

    The action is kept as it is (runs of spaces inside it matter)."""
    words = []
    if user_pages is not None:
        words.append("user_pages=%d" % user_pages)
    if options.strip():
        words.append(options.strip())
    if action:
        words.append(action)
    return " ".join(words)


def run_arguments(text):
    """Return the words of TEXT, a program's arguments as a shell would
    quote them (`"a" 'b' c`: quotes removed), for the kernel's `run`
    action.  The kernel splits its command line at spaces (as Pintos
    does), so a word that holds a space, or an empty one, cannot reach
    the program as one argument: ImageError says so and how to pass it,
    as it does for quotes that do not close."""
    try:
        words = shlex.split(text)
    except ValueError as err:
        raise ImageError("cannot split the arguments %r: %s (quote as in "
                         "a shell: ARGS='\"a\" b')" % (text, err)) from None
    for word in words:
        if not word or any(c.isspace() for c in word):
            raise ImageError(
                "the argument %r cannot be passed: the kernel splits a "
                "program's command line at spaces (as Pintos does), so an "
                "argument can hold no space and cannot be empty; put such "
                "text in a file (FILES=...) and pass the file's name"
                % word)
    return words


def file_entry(spec):
    """Parse a `PATH` or `NAME=PATH` command-line file spec into
    (image name, host path); the default name is the base name of PATH."""
    name, sep, path = spec.partition("=")
    if not sep:
        return os.path.basename(spec), spec
    if not name or not path:
        raise ImageError("bad file spec %r: use PATH or NAME=PATH" % spec)
    return name, path


def read_files(entries):
    """Read (image name, host path) pairs into an ordered {name: bytes}.

    Raises ImageError on a missing file or a name given twice."""
    files = {}
    for name, path in entries:
        if name in files:
            raise ImageError("two files are named %r in the image" % name)
        try:
            with open(path, "rb") as src:
                files[name] = src.read()
        except OSError as err:
            raise ImageError("cannot read %s for image file %r: %s"
                             % (path, name, err.strerror)) from None
    return files


def build_images(out_dir, cmdline, files, free_kb=1024, swap_mb=0,
                 inode_count=foliofs.DEFAULT_INODE_COUNT):
    """Write OUT_DIR/payload.img (and OUT_DIR/swap.img when SWAP_MB > 0).

    FILES maps image names to bytes.  Returns Images; raises ImageError
    with a clear message when the input is invalid."""
    os.makedirs(out_dir, exist_ok=True)
    payload = os.path.join(out_dir, "payload.img")
    swap = os.path.join(out_dir, "swap.img") if swap_mb > 0 else None
    try:
        sb = foliofs.write_payload(payload, cmdline, files, free_kb,
                                   inode_count)
        if swap:
            foliofs.write_swap(swap, swap_mb)
        elif os.path.exists(os.path.join(out_dir, "swap.img")):
            os.unlink(os.path.join(out_dir, "swap.img"))
    except foliofs.FoliofsError as err:
        raise ImageError(str(err)) from None
    return Images(payload=payload, swap=swap, cmdline=cmdline, superblock=sb)
