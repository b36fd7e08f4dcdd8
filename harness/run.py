"""A finished run of QEMU, parsed once.

Like KUnit's kunit_tool, the raw text of a run goes in once and a typed
object comes out: every diagnosis step and every report reads the lines,
the frame, the panic and the accounting figures from here, each worked out
the first time it is asked for and kept.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Dict, NamedTuple, Optional

from harness import console
from harness.probe import CpuState
from harness.triple import Chain
from images.qemu import Exit


class Fetched(NamedTuple):
    """A file read back out of the payload disk after the run: its bytes,
    or why it could not be read (data is then None)."""
    data: Optional[bytes]
    error: Optional[str] = None


# The name under which Run.fetched holds a failed check of the whole
# payload file system (a case's `fsck = true`): Fetched(None, problem).
FSCK = "(fsck)"


class Leak(NamedTuple):
    """A resource whose final value differs from its baseline."""
    key: str
    baseline: object
    final: object

    def __str__(self):
        return "%s: baseline %s, final %s" % self


@dataclass
class Run:
    """What one run of QEMU left behind, and what it means.

    console and log are the text of COM1 and COM2; end is how QEMU ended
    (images.qemu.Exit: its status, whether the watchdog killed it, why it
    never started, its wall time); timeout the watchdog's limit in
    seconds; cmdline is the CMDLINE the run's frame must name (None: the
    first frame on the console).  cpu is where the CPU was when the
    watchdog fired or the guest reset (harness.probe), cpu_problem why
    that could not be read.  chain is the exception chain of a reset,
    read from a rerun with QEMU's interrupt log (harness.triple),
    chain_problem why there is none.  fetched holds the files the test asked to
    read back from the payload disk, by name in the image."""
    console: str
    log: str
    stderr: str = ""
    end: Exit = field(default_factory=Exit)
    timeout: float = 0.0
    cmdline: Optional[str] = None
    cpu: Optional[CpuState] = None
    cpu_problem: Optional[str] = None
    chain: Optional[Chain] = None
    chain_problem: Optional[str] = None
    fetched: Dict[str, Fetched] = field(default_factory=dict)

    @cached_property
    def console_lines(self):
        """COM1 split into cleaned lines."""
        return console.split_lines(self.console)

    @cached_property
    def log_lines(self):
        """COM2 split into cleaned lines."""
        return console.split_lines(self.log)

    @cached_property
    def frame(self):
        """The console.Frame of cmdline."""
        return console.extract_frame(self.console_lines, self.cmdline)

    @cached_property
    def panic(self):
        """The console.Panic report on either port, or None."""
        return console.find_panic(self.console_lines, self.log_lines)

    @cached_property
    def accounting(self):
        """(baseline, final) accounting dicts from COM2, each None when
        its line is missing."""
        return console.accounting(self.log_lines)

    @property
    def baseline(self):
        """The `baseline:` figures, or None."""
        return self.accounting[0]

    @property
    def final(self):
        """The final `accounting:` figures, or None."""
        return self.accounting[1]

    @cached_property
    def counters(self):
        """The counters of the final accounting line (no resources), in
        the order the kernel printed them."""
        return console.counters(self.final)

    @cached_property
    def powered_off(self):
        """True when the console shows `Powering off...`."""
        return console.powered_off(self.console_lines)

    def leaks(self):
        """Return the Leak of each resource whose final value differs
        from its baseline (empty when either line is missing)."""
        if self.baseline is None or self.final is None:
            return []
        return [Leak(key, self.baseline.get(key), self.final.get(key))
                for key in console.RESOURCE_KEYS
                if self.baseline.get(key) != self.final.get(key)]

    def leak_check_note(self):
        """Return the note to record when the leak check cannot run (an
        accounting line is missing), or None."""
        missing = ["'%s'" % name for name, figures
                   in (("baseline:", self.baseline),
                       ("accounting:", self.final)) if figures is None]
        if not missing:
            return None
        return "leak check skipped: no %s line on COM2" % " or ".join(missing)
