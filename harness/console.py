"""Reading Folio's serial output (docs/interfaces.md, sections 3 and 5):
lines, the run frame, the panic report and the accounting lines.

Everything here works on text already read from COM1/COM2; nothing runs
QEMU, so the unit tests feed it canned output.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

POWER_OFF_LINE = "Powering off..."
PANIC_MARK = "Kernel PANIC at"
CALL_STACK_MARK = "Call stack:"
RESOURCE_KEYS = ("user_frames", "swap_slots", "heap_bytes", "kernel_pages")

_OPEN_RE = re.compile(r"^Executing '(.*)':$")
_ADDRESS_RE = re.compile(r"0x[0-9a-fA-F]+")
_EXCEPTION_RE = re.compile(r"Exception .*\(#\d+\)")
RIP_RE = re.compile(r"\brip=(0x[0-9a-fA-F]+)")
_SITE_RE = re.compile(r"^%s (\S+ in \S+\(\))" % PANIC_MARK)
# kernel/cmdline.c's complaints about its options (docs/interfaces.md, 2).
_OPTION_RES = (re.compile(r"^folio: unknown option '(.*)'$"),
               re.compile(r"^folio: bad value '.*' for option '(.*)'$"))
_ESCAPE_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def clean_line(line):
    """Return LINE without its trailing spaces and carriage returns, and
    without carriage returns at its start (a port that sends "\n\r")."""
    return line.rstrip(" \r").lstrip("\r")


def bare(line):
    """Return LINE without ANSI terminal escape sequences (a boot loader
    writing to the same port may leave some); used to recognize marker
    lines, never to change program output."""
    return _ESCAPE_RE.sub("", line)


def split_lines(text):
    """Split TEXT into cleaned lines; a final newline ends the last line
    rather than starting an empty one."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [clean_line(line) for line in lines]


def printable(line):
    """Return LINE with control characters (other than tab) shown as ^X,
    so showing it cannot disturb a terminal."""
    return _CONTROL_RE.sub(lambda m: "^" + chr(ord(m.group()) ^ 0x40), line)


def close_line(cmdline):
    """Return the line that closes the frame of CMDLINE."""
    return "Execution of '%s' complete." % cmdline


@dataclass
class Frame:
    """The run frame found on the console.

    lines is what lies between the markers (None if the frame never opened;
    everything after the opening line if it never closed); problem says
    what is missing, None for a complete frame."""
    cmdline: Optional[str]
    lines: Optional[List[str]]
    problem: Optional[str] = None


def extract_frame(lines, cmdline=None):
    """Find the frame in console LINES.

    With CMDLINE the opening line must name exactly that command line
    (quotes and all); without it the first `Executing '...':` line is taken.
    The frame closes at the last matching `Execution of '...' complete.`."""
    start, found = _find_open(lines, cmdline)
    if start is None:
        if found is not None:
            return Frame(found, None,
                         "the frame opens for '%s' but the test ran '%s'"
                         % (found, cmdline))
        return Frame(cmdline, None, "no \"Executing '%s':\" line: the frame "
                     "never opened" % (cmdline if cmdline is not None
                                        else "..."))
    end_marker = close_line(found)
    ends = [i for i in range(start + 1, len(lines))
            if bare(lines[i]) == end_marker]
    if not ends:
        return Frame(found, lines[start + 1:],
                     "no \"%s\" line: the frame never closed" % end_marker)
    return Frame(found, lines[start + 1:ends[-1]])


def _find_open(lines, cmdline):
    """Return (index, cmdline) of the frame's opening line; (None, other
    cmdline or None) when there is no (matching) opening line."""
    other = None
    for index, line in enumerate(lines):
        match = _OPEN_RE.match(bare(line))
        if not match:
            continue
        if cmdline is None or match.group(1) == cmdline:
            return index, match.group(1)
        if other is None:
            other = match.group(1)
    return None, other


def bad_options(lines):
    """Return [(line, option name)] for each option the kernel named as
    unknown or malformed on console LINES, in order."""
    found = []
    for line in lines:
        for regex in _OPTION_RES:
            match = regex.match(bare(line))
            if match:
                found.append((bare(line), match.group(1)))
    return found


def powered_off(lines):
    """Return True when the console shows the `Powering off...` line."""
    return any(bare(line) == POWER_OFF_LINE for line in lines)


@dataclass
class Panic:
    """A kernel panic report: the panic line, the call-stack addresses
    after it and which port they were read from.  When a CPU exception
    caused it: the `Exception ...` line, the faulting rip, and the call
    stack the kernel printed for the interrupted code (its callers)."""
    message: Optional[str]
    exception: Optional[str] = None
    addresses: List[str] = field(default_factory=list)
    source: Optional[str] = None
    rip: Optional[str] = None
    exception_addresses: List[str] = field(default_factory=list)

    @property
    def site(self):
        """`FILE:LINE in FUNCTION()` of the PANIC call, or the message."""
        match = _SITE_RE.match(self.message or "")
        return match.group(1) if match else self.message


def call_stack(line):
    """Return the addresses of a `Call stack:` LINE, or None for another
    line."""
    at = line.find(CALL_STACK_MARK)
    if at < 0:
        return None
    return _ADDRESS_RE.findall(line[at + len(CALL_STACK_MARK):])


def _panic_in(lines):
    """Return the Panic reported in LINES of one port, or None."""
    for index, line in enumerate(lines):
        at = line.find(PANIC_MARK)
        if at < 0:
            continue
        panic = Panic(line[at:])
        before = lines[max(0, index - 40):index]
        for back, earlier in enumerate(reversed(before)):
            match = _EXCEPTION_RE.search(earlier)
            if match:
                panic.exception = earlier[match.start():]
                rip = RIP_RE.search(panic.exception)
                panic.rip = rip.group(1) if rip else None
                stacks = [call_stack(l) for l in before[len(before) - back:]]
                panic.exception_addresses = next(
                    (s for s in stacks if s is not None), [])
                break
        for after in lines[index + 1:index + 40]:
            addresses = call_stack(after)
            if addresses is not None:
                panic.addresses = addresses
                break
        return panic
    return None


def find_panic(console_lines, log_lines):
    """Return the Panic found on COM1 (preferred) or COM2, or None.

    When COM1 has the panic line but lost the call stack, the call stack
    is taken from COM2."""
    first = _panic_in(console_lines)
    second = _panic_in(log_lines)
    if first:
        first.source = "COM1"
        if not first.addresses and second and second.addresses:
            first.addresses = second.addresses
        if not first.exception and second and second.exception:
            first.exception, first.rip = second.exception, second.rip
            first.exception_addresses = second.exception_addresses
        return first
    if second:
        second.source = "COM2"
    return second


def parse_pairs(text):
    """Return the KEY=VALUE words of TEXT as a dict (int values when they
    parse as integers)."""
    pairs = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if not sep:
            continue
        try:
            pairs[key] = int(value, 0)
        except ValueError:
            pairs[key] = value
    return pairs


# Accounting figures that measure time (longest_kernel_ms in milliseconds,
# the lock holds in TSC cycles): no two runs share them, so a comparison
# of two runs leaves them out (docs/interfaces.md, section 3, "The
# accounting lines").
TIMING_FIGURES = frozenset(("longest_kernel_ms", "vm_lock_max_hold",
                            "fs_lock_max_hold"))


def accounting(log_lines):
    """Return (baseline, accounting) dicts from the kernel log lines; each
    is None when its line is absent.  The last line of each kind counts."""
    baseline = final = None
    for line in log_lines:
        line = bare(line)
        if line.startswith("baseline:"):
            baseline = parse_pairs(line[len("baseline:"):])
        elif line.startswith("accounting:"):
            final = parse_pairs(line[len("accounting:"):])
    return baseline, final


def counters(final):
    """Return the counters of an accounting dict (keys after the four
    resources), in the order the kernel printed them."""
    if not final:
        return {}
    return {k: v for k, v in final.items() if k not in RESOURCE_KEYS}


def tail(lines, count=40):
    """Return the last COUNT LINES joined, with a note of what was cut."""
    shown = [printable(line) for line in lines[-count:]]
    if len(lines) > count:
        shown.insert(0, "[... %d earlier lines ...]" % (len(lines) - count))
    return "\n".join(shown)
