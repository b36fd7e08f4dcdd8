"""Turning the `Call stack:` addresses of a kernel panic into
`function at file:line` lines with addr2line.

A call stack holds return addresses: the instruction after each call.  A
call to a function that never returns (panic() itself) can be the last
instruction of its caller, so its return address already belongs to the
next function.  Each address is therefore looked up minus one, which lands
inside the call instruction; the address shown is the one the kernel
printed.
"""

import os
import subprocess
from dataclasses import dataclass
from typing import List

ADDR2LINE = "addr2line"


class SymbolizeError(Exception):
    """The addresses could not be symbolized; the message says why."""


@dataclass
class Location:
    """One function an address maps to: addr2line -i lists the innermost
    (inlined) function first, then the functions it was inlined into;
    function and place are '??' when addr2line does not know."""
    function: str
    place: str


@dataclass
class SymbolizedAddress:
    """An address from the call stack and where it points."""
    address: str
    locations: List[Location]

    def known(self):
        """Return True when at least one function name is known."""
        return any(loc.function != "??" for loc in self.locations)


def symbolize(elf, addresses, root=None, timeout=30):
    """Return a SymbolizedAddress for each of ADDRESSES (hex strings) using
    `addr2line -a -f -i -C -e ELF`; source paths under directory ROOT are
    shown relative to it.  Raises SymbolizeError when the ELF or addr2line
    is missing or fails."""
    if not addresses:
        return []
    if not os.path.exists(elf):
        raise SymbolizeError("%s does not exist (was the kernel built?)" % elf)
    lookups = ["0x%x" % max(int(a, 16) - 1, 0) for a in addresses]
    argv = [ADDR2LINE, "-a", "-f", "-i", "-C", "-e", str(elf)] + lookups
    try:
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SymbolizeError("cannot run %s: %s" % (ADDR2LINE, err)) from None
    if done.returncode != 0:
        raise SymbolizeError("%s failed (status %d): %s"
                             % (ADDR2LINE, done.returncode,
                                done.stderr.strip()))
    groups = parse_addr2line(done.stdout, root)
    if len(groups) != len(addresses):
        raise SymbolizeError("%s printed %d groups for %d addresses"
                             % (ADDR2LINE, len(groups), len(addresses)))
    return [SymbolizedAddress(a, g) for a, g in zip(addresses, groups)]


def parse_addr2line(text, root=None):
    """Parse `addr2line -a -f -i` output into one list of Location per
    address: an address line, then function and file:line pairs.  Places
    under directory ROOT are made relative to it."""
    prefix = os.path.join(root, "") if root else None
    groups = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line.startswith("0x") and _is_hex(line):
            groups.append([])
            continue
        if not groups:
            continue
        place = lines[index].strip() if index < len(lines) else "??:0"
        index += 1
        if prefix and place.startswith(prefix):
            place = place[len(prefix):]
        groups[-1].append(Location(line, place))
    return groups


def _is_hex(word):
    """Return True when WORD is a 0x-prefixed hexadecimal number."""
    try:
        int(word, 16)
        return True
    except ValueError:
        return False


def format_backtrace(symbolized):
    """Return `ADDRESS: function at file:line` lines (inlined frames shown
    as `(inlined by)` lines under their address)."""
    out = []
    for item in symbolized:
        for depth, loc in enumerate(item.locations):
            text = "%s at %s" % (loc.function, loc.place)
            if depth == 0:
                out.append("%s: %s" % (item.address, text))
            else:
                out.append("%s  (inlined by) %s" % (" " * len(item.address),
                                                    text))
        if not item.locations:
            out.append("%s: ??" % item.address)
    return out
