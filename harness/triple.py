"""A triple fault told by its cause: the chain of exceptions that ended in
the reset, read from QEMU's interrupt log (`-d int,cpu_reset`), and why
the first delivery failed.

When a run resets, the harness boots the case once more with that log
(harness/runner.py, `rerun_for_reset`): QEMU writes a line per interrupt
or exception it delivers,

    12: v=20 e=0000 i=0 cpl=0 IP=0008:ffffffff8011a208 pc=... SP=...

followed by the CPU state (with its `IDT=` and `GDT=` lines); a line
`check_exception old: 0xOLD new 0xNEW` when an exception is raised (OLD
is the exception being delivered, 0xffffffff when none); and `Triple
fault` at the end.  An event whose delivery failed is followed at once
by a `check_exception` line, so the chain is the run of such events
just before `Triple fault`: `interrupt 0x20 -> #GP -> #DF -> reset`.

The place of a triple fault is its cause, not where the CPU happened to
be: a chain started by a hardware interrupt is placed by the chain and
the faulty descriptor table (every instruction the timer interrupts is
the same bug), one started by an instruction (an exception, `int3`) at
that instruction.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

# How much of the end of the log is read: the chain and the CPU states
# printed with it are a few kilobytes; the log of a long run is large.
TAIL_BYTES = 256 * 1024
FIRST_EXTERNAL_VECTOR = 32      # vectors below are the CPU's exceptions
GATE_SIZE = 16                  # bytes of one long-mode IDT gate
NO_EXCEPTION = 0xffffffff

VECTOR_NAMES = {0: "#DE", 1: "#DB", 2: "NMI", 3: "#BP", 4: "#OF", 5: "#BR",
                6: "#UD", 7: "#NM", 8: "#DF", 10: "#TS", 11: "#NP",
                12: "#SS", 13: "#GP", 14: "#PF", 16: "#MF", 17: "#AC",
                18: "#MC", 19: "#XM", 20: "#VE", 21: "#CP"}

_EVENT_RE = re.compile(r"^\s*\d+: v=([0-9a-f]+) e=([0-9a-f]+) i=(\d) "
                       r"cpl=(\d) IP=[0-9a-f]+:([0-9a-f]+)"
                       r"(?:.* CR2=([0-9a-f]+))?")
_CHECK_RE = re.compile(r"^check_exception old: 0x([0-9a-f]+) new "
                       r"0x([0-9a-f]+)")
_TABLE_RE = re.compile(r"^(IDT|GDT)=\s+([0-9a-f]+) ([0-9a-f]+)")
_TRIPLE_LINE = "Triple fault"


@dataclass
class Event:
    """One delivery QEMU logged: VECTOR, its error code, whether a
    software INT raised it, the privilege level and the instruction
    address; the IDT's limit in the CPU state logged with it."""
    vector: int
    error: int
    software: bool
    cpl: int
    rip: int
    cr2: Optional[int] = None
    idt_limit: Optional[int] = None
    raised: Optional[int] = None    # the exception its delivery raised

    @property
    def external(self):
        """True for a hardware interrupt (not an exception, not INT n)."""
        return self.vector >= FIRST_EXTERNAL_VECTOR and not self.software

    @property
    def name(self):
        if self.software:
            return "int 0x%x" % self.vector
        if self.external:
            return "interrupt 0x%x" % self.vector
        return exception_name(self.vector)


def exception_name(vector):
    """`#GP` for 13, `exception 9` for a vector without a mnemonic."""
    return VECTOR_NAMES.get(vector, "exception %d" % vector)


@dataclass
class Chain:
    """The deliveries that failed one into the next up to the reset,
    oldest first, and the exception (a vector) whose raising while
    delivering the last of them reset the machine (its `raised`)."""
    events: List[Event]
    notes: List[str] = field(default_factory=list)

    @property
    def start(self):
        return self.events[0]

    def arrows(self):
        """`interrupt 0x20 -> #GP -> #DF -> reset`."""
        return " -> ".join([e.name for e in self.events] + ["reset"])

    def cause(self):
        """Why the first delivery failed, when the log shows it: its gate
        beyond the IDT's limit; else None."""
        start = self.start
        if start.idt_limit is None:
            return None
        gates = (start.idt_limit + 1) // GATE_SIZE
        if start.vector < gates:
            return None
        return "vector 0x%x beyond the IDT's limit 0x%x (%s)" % (
            start.vector, start.idt_limit,
            "gates 0 to %d" % (gates - 1) if gates else "no whole gate")

    def lines(self):
        """The chain told step by step, for a report."""
        out = ["exception chain (QEMU's interrupt log of a rerun): %s"
               % self.arrows()]
        for before, after in zip(self.events, self.events[1:] + [None]):
            raised = exception_name(before.raised)
            if after is None:
                then = ": triple fault"
            elif after.vector != before.raised:
                then = ", which made it %s" % after.name
            else:
                then = ""
            out.append("  delivering %s raised %s%s" % (before.name, raised,
                                                        then))
        for event in self.events:
            extra = " cr2=%x" % event.cr2 if event.cr2 is not None else ""
            out.append("  %s: error code 0x%x, cpl %d, rip %x%s" % (
                event.name, event.error, event.cpl, event.rip, extra))
        return out + self.notes


def read_tail(path):
    """Return the last TAIL_BYTES of file PATH, decoded."""
    with open(path, "rb") as src:
        src.seek(0, 2)
        size = src.tell()
        src.seek(max(0, size - TAIL_BYTES))
        return src.read().decode("utf-8", "replace")


def parse_chain(text):
    """Return the Chain that ends QEMU interrupt log TEXT in a triple
    fault, or None when the log has no `Triple fault` line after a failed
    delivery."""
    items = []          # Event, or ("check", old, new), or "triple"
    for line in text.splitlines():
        event = _EVENT_RE.match(line)
        if event:
            vector, error, soft, cpl, rip, cr2 = event.groups()
            items.append(Event(int(vector, 16), int(error, 16), soft == "1",
                               int(cpl), int(rip, 16),
                               int(cr2, 16) if cr2 else None))
            continue
        table = _TABLE_RE.match(line)
        if table and table.group(1) == "IDT" and items and \
                isinstance(items[-1], Event):
            items[-1].idt_limit = int(table.group(3), 16)
            continue
        check = _CHECK_RE.match(line)
        if check:
            items.append(("check", int(check.group(1), 16),
                          int(check.group(2), 16)))
        elif line.strip() == _TRIPLE_LINE:
            items.append("triple")
    if "triple" not in items:
        return None
    end = len(items) - 1 - items[::-1].index("triple")
    return _chain_before(items, end)


def _chain_before(items, end):
    """Return the Chain of the failed deliveries just before ITEMS[END]
    (the `Triple fault`): pairs of an Event and the check_exception
    raised while delivering it, walked backwards."""
    at = end - 1
    if at < 0 or not isinstance(items[at], tuple):
        return None
    events = []
    while at >= 1 and isinstance(items[at], tuple) and \
            isinstance(items[at - 1], Event):
        items[at - 1].raised = items[at][2]
        events.append(items[at - 1])
        at -= 2
    if not events:
        return None
    return Chain(events[::-1])
