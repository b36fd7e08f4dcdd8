"""What the harness reads from the kernel's ELF to name the thread and the
process a stopped CPU was running: the address of the scheduler's
`current` pointer (symbol table, `nm`) and the offsets of a few structure
fields (DWARF, `readelf --debug-dump=info`).  Both come from the build
itself, so they stay true when the structures change.
"""

import functools
import os
import re
import subprocess
from dataclasses import dataclass

# The fields the CPU-state report reads, per structure.
FIELDS = {"thread": ("name", "process"), "process": ("pid", "name")}
# thread.c's `static struct thread *current`; LTO renames it
# `current.lto_priv.N`, GCC's IPA passes `current.N`.
_CURRENT_RE = re.compile(r"^current(\.\w+)*$")
_ENTRY_RE = re.compile(r"^\s*<(\d+)><[0-9a-f]+>: Abbrev Number: \d+ "
                       r"\((DW_TAG_\w+)\)")
_ATTR_RE = re.compile(r"^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$")


class ElfInfoError(Exception):
    """The ELF lacks what the report needs; the message says what."""


@dataclass(frozen=True)
class KernelLayout:
    """Where the running thread's and process's names are: `current` is
    the address of the pointer to the running struct thread; offsets maps
    `struct.field` to a byte offset."""
    current: int
    offsets: dict

    def offset(self, struct, name):
        return self.offsets["%s.%s" % (struct, name)]


def kernel_layout(elf):
    """Return the KernelLayout of kernel ELF (cached while the file is
    unchanged); ElfInfoError when a symbol or field is missing."""
    try:
        stamp = os.stat(elf).st_mtime_ns
    except OSError as err:
        raise ElfInfoError("%s: %s" % (elf, err.strerror)) from None
    return _layout(elf, stamp)


@functools.lru_cache(maxsize=4)
def _layout(elf, stamp):
    """kernel_layout() of ELF as it was at modification time STAMP."""
    return KernelLayout(_current_address(elf), _field_offsets(elf))


def _tool_output(argv):
    """Return the stdout of ARGV; ElfInfoError when it fails."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ElfInfoError("cannot run %s: %s" % (argv[0], err)) from None
    if done.returncode != 0:
        raise ElfInfoError("%s failed: %s" % (argv[0], done.stderr.strip()))
    return done.stdout


def _current_address(elf):
    """Return the address of the `current` thread pointer."""
    found = set()
    for line in _tool_output(["nm", "--defined-only", elf]).splitlines():
        words = line.split()
        if len(words) == 3 and words[1] in "bBdD" and \
                _CURRENT_RE.match(words[2]):
            found.add(int(words[0], 16))
    if len(found) != 1:
        raise ElfInfoError("%d symbols named like `current` in %s (want one)"
                           % (len(found), elf))
    return found.pop()


def _field_offsets(elf):
    """Return {`struct.field`: offset} for FIELDS, from ELF's DWARF."""
    text = _tool_output(["readelf", "--debug-dump=info", elf])
    offsets = parse_field_offsets(text.splitlines(), FIELDS)
    missing = ["%s.%s" % (s, f) for s, names in FIELDS.items()
               for f in names if "%s.%s" % (s, f) not in offsets]
    if missing:
        raise ElfInfoError("no DWARF offset for %s in %s"
                           % (", ".join(missing), elf))
    return offsets


def parse_field_offsets(lines, wanted):
    """Return {`struct.field`: offset} for the WANTED {struct: fields} as
    LINES of `readelf --debug-dump=info` describe their definitions
    (declarations, which have no members, are skipped)."""
    offsets = {}
    struct = member = None      # (depth, attributes) of the open entries
    for line in lines:
        entry = _ENTRY_RE.match(line)
        if entry:
            depth, tag = int(entry.group(1)), entry.group(2)
            if member:
                _keep_member(offsets, struct, member, wanted)
                member = None
            if struct and depth <= struct[0]:
                struct = None
            if tag == "DW_TAG_structure_type":
                struct = (depth, {})
            elif tag == "DW_TAG_member" and struct and depth == struct[0] + 1:
                member = (depth, {})
            continue
        attr = _ATTR_RE.match(line)
        if attr and (member or struct):
            (member or struct)[1][attr.group(1)] = _value(attr.group(2))
    if member:
        _keep_member(offsets, struct, member, wanted)
    return offsets


def _keep_member(offsets, struct, member, wanted):
    """Record MEMBER of STRUCT in OFFSETS when WANTED asks for it."""
    struct_name = struct[1].get("DW_AT_name")
    name = member[1].get("DW_AT_name")
    where = member[1].get("DW_AT_data_member_location")
    if name in wanted.get(struct_name, ()) and where is not None:
        try:
            offsets["%s.%s" % (struct_name, name)] = int(where, 0)
        except ValueError:
            pass


def _value(text):
    """Return an attribute's value without readelf's
    `(indirect string, offset: 0x...): ` prefix."""
    if text.startswith("(") and "): " in text:
        return text.split("): ", 1)[1].strip()
    return text.strip()
