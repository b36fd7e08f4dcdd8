"""The kernel's own hang report (docs/interfaces.md, section 3): a
deadlock or a soft lockup that the kernel found, printed on COM2 before it
powered off with status 37.

    Kernel HANG: soft lockup: thread 5 (args-single) held the CPU ...
    Thread 1 (main): blocked
    Call stack: 0xffffffff8011d879 ...
    Thread 5 (args-single): running, stuck, rip=0xffffffff8012a0f3
    Call stack: 0xffffffff8012a11c ...

parse() reads it from the kernel log; report() tells it with symbols and
says where the hang is: the stuck thread's rip for a soft lockup, and for
a deadlock the stuck thread's (the last to block) first frame outside the
code that blocks (WAIT_FILES), i.e. the call that waits for ever.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

from harness import console
from harness.symbolize import (SymbolizeError, format_backtrace,
                               symbolized_rip)

HANG_MARK = "Kernel HANG:"
# Where every blocked thread's stack starts (the scheduler, semaphores,
# locks, sleeping): a deadlock's place is the first frame outside them.
WAIT_FILES = ("kernel/thread.c", "kernel/sync.c", "kernel/switch.S")

_THREAD_RE = re.compile(r"^Thread (\d+) \((.*)\): (running|ready|blocked|"
                        r"dying)(, stuck)?(?:, rip=(0x[0-9a-fA-F]+))?$")


@dataclass
class HangThread:
    """One thread of the report: its state, whether the report is about
    it, the interrupted rip (the running thread of a soft lockup) and its
    call stack (return addresses)."""
    tid: int
    name: str
    state: str
    stuck: bool = False
    rip: Optional[str] = None
    addresses: List[str] = field(default_factory=list)

    def title(self):
        """`thread TID (NAME)`."""
        return "thread %d (%s)" % (self.tid, self.name)


@dataclass
class Hang:
    """The report: its kind (`deadlock`, `soft lockup`), its first line
    and the threads."""
    kind: str
    message: str
    threads: List[HangThread] = field(default_factory=list)

    @property
    def stuck(self):
        """The thread the report is about (the first listed when none is
        marked), or None when it lists none."""
        marked = [t for t in self.threads if t.stuck]
        return (marked or self.threads or [None])[0]


def parse(log_lines):
    """Return the Hang reported in LOG_LINES (COM2), or None."""
    hang = None
    for line in log_lines:
        line = console.bare(line)
        if hang is None:
            at = line.find(HANG_MARK)
            if at >= 0:
                message = line[at:]
                kind = message[len(HANG_MARK):].strip().split(":")[0]
                hang = Hang(kind, message)
            continue
        match = _THREAD_RE.match(line)
        if match:
            hang.threads.append(HangThread(
                int(match.group(1)), match.group(2), match.group(3),
                bool(match.group(4)), match.group(5)))
            continue
        addresses = console.call_stack(line)
        if addresses is not None and hang.threads:
            hang.threads[-1].addresses = addresses
    return hang


@dataclass
class HangReport:
    """A hang told with symbols: its lines, where it is, and whether any
    address named a function."""
    lines: List[str]
    location: Optional[str] = None
    symbolized: bool = False


def report(hang, symbolizer):
    """Return the HangReport of HANG: the stuck thread first, then every
    other, each with its call stack symbolized (the stuck one's rip
    first, for a soft lockup)."""
    out = HangReport([hang.message])
    stuck = hang.stuck
    for thread in sorted(hang.threads, key=lambda t: t is not stuck):
        out.lines.append("%s: %s%s" % (thread.title(), thread.state,
                                       ", stuck" if thread is stuck else ""))
        if thread.rip:
            rip_lines, found = symbolized_rip(thread.rip, symbolizer)
            out.lines += ["  " + line for line in rip_lines]
            if thread is stuck:
                out.location = found
                out.symbolized = found is not None
        if not thread.addresses:
            out.lines.append("  no call stack")
            continue
        try:
            frames = symbolizer(thread.addresses)
        except SymbolizeError as err:
            out.lines.append("  Call stack: %s" % " ".join(thread.addresses))
            out.lines.append("  could not symbolize: %s" % err)
            continue
        out.lines.append("  call stack (symbolized):")
        out.lines += ["    " + line for line in format_backtrace(frames)]
        out.symbolized |= any(item.known() for item in frames)
        if thread is stuck and out.location is None:
            out.location = _waiting_call(frames)
    return out


def _waiting_call(frames):
    """Return `function at file:line` of the first frame (inline chains
    included, innermost first) outside WAIT_FILES, or None."""
    for item in frames:
        for loc in item.locations:
            path = loc.place.rsplit(":", 1)[0]
            if loc.function != "??" and not path.endswith(WAIT_FILES):
                return "%s at %s" % (loc.function, loc.place)
    return None
