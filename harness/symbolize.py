"""Turning the `Call stack:` addresses of a kernel panic (and the rip of a
fault) into `function at file:line` lines with addr2line.

A call stack holds return addresses: the instruction after each call.  A
call to a function that never returns (panic() itself) can be the last
instruction of its caller, so its return address already belongs to the
next function.  Each return address is therefore looked up minus one,
which lands inside the call instruction; the address shown is the one the
kernel printed.  A faulting rip is the instruction itself and is looked up
as it is (returns=False).
"""

import os
import re
import subprocess
from dataclasses import dataclass
from typing import List

from harness import console

ADDR2LINE = "addr2line"
# addr2line may end a place with ` (discriminator N)`: which of several
# blocks on one line; it says nothing to a reader of the source.  Nor do
# the suffixes GCC gives the copies it makes of a function
# (`pf_read.constprop.0.isra.0` is pf_read).
_DISCRIMINATOR_RE = re.compile(r" \(discriminator \d+\)$")
_CLONE_RE = re.compile(r"(\.(constprop|isra|part|cold|lto_priv)(\.\d+)?)+$")


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


def symbolize(elf, addresses, root=None, timeout=30, returns=True):
    """Return a SymbolizedAddress for each of ADDRESSES (hex strings) using
    `addr2line -a -f -i -C -e ELF`; source paths under directory ROOT are
    shown relative to it.  RETURNS: the addresses are return addresses
    (looked up minus one); False for instruction addresses such as a
    faulting rip.  Raises SymbolizeError when the ELF or addr2line is
    missing or fails."""
    if not addresses:
        return []
    if not os.path.exists(elf):
        raise SymbolizeError("%s does not exist (was it built?)" % elf)
    back = 1 if returns else 0
    lookups = ["0x%x" % max(int(a, 16) - back, 0) for a in addresses]
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


class Symbolizer:
    """addr2line for one run: the kernel's ELF, and the user programs the
    run had on its disk, by their name in the image."""

    def __init__(self, kernel_elf, programs=None, root=None):
        self.kernel_elf = kernel_elf
        self.programs = dict(programs or {})
        self.root = root

    def __call__(self, addresses, returns=True, program=None):
        """symbolize() ADDRESSES in the kernel, or in user PROGRAM (a name
        in the image); SymbolizeError for a program the run did not
        have."""
        elf = self.kernel_elf
        if program is not None:
            elf = self.programs.get(program)
            if elf is None:
                raise SymbolizeError("no ELF of a program named %r on the "
                                     "disk" % program)
        return symbolize(elf, addresses, self.root, returns=returns)


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
        place = _DISCRIMINATOR_RE.sub("", place)
        index += 1
        if prefix and place.startswith(prefix):
            place = place[len(prefix):]
        if place.startswith("./"):      # a header found through -I.
            place = place[2:]
        groups[-1].append(Location(_CLONE_RE.sub("", line), place))
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


def symbolized_rip(rip, symbolizer, program=None):
    """Return (lines, location) for instruction address RIP in the kernel
    or in user PROGRAM: `rip ADDRESS (in WHERE): function at file:line`
    with its inline chain, and `function at file:line` of the innermost
    function (None when unknown)."""
    where = "in %s" % program if program else "in the kernel"
    try:
        found = symbolizer([rip], returns=False, program=program)
    except SymbolizeError as err:
        return ["rip %s (%s): could not symbolize: %s" % (rip, where, err)], \
            None
    lines = ["rip %s" % line for line in format_backtrace(found)]
    lines[0] = lines[0].replace(": ", " (%s): " % where, 1)
    known = [loc for loc in found[0].locations if loc.function != "??"]
    if not known:
        return lines, None
    return lines, "%s at %s" % (known[0].function, known[0].place)


@dataclass
class PanicReport:
    """A kernel panic told with symbols: its lines, where it happened
    (the faulting function for a CPU exception, else the panic's site),
    and whether any call-stack address named a function."""
    lines: List[str]
    location: str
    symbolized: bool = False


def panic_report(panic, symbolizer):
    """Return the PanicReport of console.Panic PANIC: a CPU exception's
    line and its faulting rip symbolized (with the inline chain), the
    panic line, then the call stack symbolized: the faulting code's when
    the kernel printed one (the panic's own runs through the interrupt
    handler), else the panic's."""
    lines, location = [], panic.site
    if panic.exception:
        lines.append(panic.exception)
    if panic.rip:
        rip_lines, found = symbolized_rip(panic.rip, symbolizer)
        lines += ["faulting instruction:"] + ["  " + l for l in rip_lines]
        location = found or location
    lines.append(panic.message)
    report = PanicReport(lines, location)
    stack = panic.exception_addresses or panic.addresses
    if not stack:
        lines.append("no 'Call stack:' addresses to symbolize")
        return report
    try:
        symbolized = symbolizer(stack)
    except SymbolizeError as err:
        lines.append("Call stack: %s" % " ".join(stack))
        lines.append("could not symbolize the call stack: %s" % err)
        return report
    lines.append("Call stack%s (symbolized):" % (
        " of the faulting code" if panic.exception_addresses else ""))
    lines.extend("  " + line for line in format_backtrace(symbolized))
    report.symbolized = any(item.known() for item in symbolized)
    if not report.symbolized:
        lines.append("no address symbolized to a function name")
    return report


_HEX_RE = re.compile(r"\b0x[0-9a-fA-F]+\b")


def symbolize_text(text, symbolizer, program=None):
    """Return TEXT (pasted serial output, or bare addresses) told with
    symbols, the way Pintos's `backtrace` does: a panic report in full
    (faulting rip, then the call stack); otherwise, line by line, a
    `rip=` address as an instruction and every other address (those of a
    `Call stack:` line, or bare ones) as a return address.  The addresses
    are the kernel's, or user PROGRAM's (a program the symbolizer
    knows)."""
    lines = console.split_lines(text)
    panic = console.find_panic(lines, [])
    if panic and program is None:
        return panic_report(panic, symbolizer).lines
    out = []
    for line in lines:
        stack = console.call_stack(line)
        rip = console.RIP_RE.search(line)
        if stack is None and rip is None:
            stack = _HEX_RE.findall(line)
        if not stack and not rip:
            continue
        out.append(line.strip())
        if rip:
            out += ["  " + l for l in symbolized_rip(rip.group(1), symbolizer,
                                                       program)[0]]
        if stack:
            try:
                out += ["  " + l for l in format_backtrace(
                    symbolizer(stack, program=program))]
            except SymbolizeError as err:
                out.append("  could not symbolize: %s" % err)
    return out
