"""Classifying a finished run: what happened (diagnose) and whether that is
what the test expected (judge).

The diagnosis takes the first of these that applies, so every failure has
one clear reason:

  1 qemu-failed   QEMU did not run (bad option, missing file, crash)
  2 timeout       the watchdog killed QEMU
  3 panic         exit status 35 or a `Kernel PANIC at` line
  4 reset         exit status 0 without `Powering off...` (triple fault)
  5 no-output     nothing at all on COM1
  6 no-frame      the frame is missing or incomplete
  7 mismatch      the frame differs from the expected output
  8 leak          baseline and final accounting disagree on a resource
  9 fetch         a file fetched from the payload disk differs
 10 stats         an accounting counter misses the test's `stats` condition
 11 console       a line the test's `console` list requires is not on COM1
    ok            none of the above

Nothing here runs QEMU: the inputs are a harness.run.Run (the text of
both ports and the exit status, parsed once) and a symbolizer function, so
unit tests feed canned runs.
"""

import enum
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from harness import console, expected as expected_mod
from harness.symbolize import SymbolizeError, format_backtrace
from images.qemu import (EXIT_PANIC, EXIT_POWER_OFF, EXIT_RESET,
                         describe_exit)


class Kind(enum.StrEnum):
    """What happened in a run: the diagnosis steps' kinds, in order, plus
    `ok` and `setup` (the test could not be run at all).  The value is
    what `.result`, results.json and JUnit say."""
    SETUP = "setup"
    QEMU_FAILED = "qemu-failed"
    TIMEOUT = "timeout"
    PANIC = "panic"
    RESET = "reset"
    NO_OUTPUT = "no-output"
    NO_FRAME = "no-frame"
    MISMATCH = "mismatch"
    LEAK = "leak"
    FETCH = "fetch"
    STATS = "stats"
    CONSOLE = "console"
    OK = "ok"


@dataclass(frozen=True)
class Expect:
    """One value of a test's `expect` setting: the Kind a run must get,
    and how a failure message names what was wanted."""
    kind: Kind
    wanted: str


EXPECTS = {
    "output": Expect(Kind.OK, "a clean run"),
    "panic": Expect(Kind.PANIC, "a kernel panic with a symbolized backtrace"),
    "timeout": Expect(Kind.TIMEOUT, "the watchdog to fire (a hang)"),
    "reset": Expect(Kind.RESET, "a guest reset (triple fault)"),
    "mismatch": Expect(Kind.MISMATCH,
                       "the frame NOT to match its expected file"),
}


@dataclass
class FetchResult:
    """A file read back from the payload disk; problem is None when it is
    byte for byte the expected file."""
    name: str
    problem: Optional[str] = None


@dataclass
class Expectation:
    """What the test case asks for; stats maps a counter to a condition
    with a holds(value) method (cases.StatCondition)."""
    expect: str = "output"
    expected: Optional[expected_mod.Expected] = None
    expected_name: str = "the expected output"
    fetches: List[FetchResult] = field(default_factory=list)
    stats: Dict[str, object] = field(default_factory=dict)
    console_lines: List[str] = field(default_factory=list)


@dataclass
class Diagnosis:
    """What happened in a run: its kind, a one-line reason and detail
    lines (diff, backtrace, stderr); notes are facts worth keeping in the
    .result file whatever the verdict (e.g. a skipped leak check)."""
    kind: Kind
    reason: str
    details: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    symbolized: bool = False
    diff: str = ""


@dataclass
class Verdict:
    """Whether the test passed, and why (reason is the text after `FAIL: `
    on the .result first line; for a pass it says what was checked)."""
    passed: bool
    reason: str
    diagnosis: Diagnosis


def diagnose(run, want, symbolizer):
    """Return the Diagnosis of Run RUN for Expectation WANT.

    SYMBOLIZER maps a list of hex addresses to SymbolizedAddress items
    (raising SymbolizeError)."""
    for step in (_qemu_failed, _timed_out, _panicked, _reset, _no_output,
                 _no_frame, _mismatch, _leak, _fetch, _stats, _console_lines):
        found = step(run, want, symbolizer)
        if found:
            return found
    return Diagnosis(Kind.OK, "clean power-off, frame as expected, no leak")


def _qemu_failed(run, want, symbolizer):
    """Step 1: QEMU did not start or died with an unexpected status."""
    if run.start_error:
        return Diagnosis(Kind.QEMU_FAILED, "QEMU failed to start: %s"
                         % run.start_error, _stderr(run))
    if run.timed_out or run.status in (EXIT_POWER_OFF, EXIT_PANIC,
                                       EXIT_RESET):
        return None
    details = _stderr(run)
    if not run.stderr.strip() and run.status is not None and run.status % 2:
        details.append("note: with nothing on stderr, the guest may have "
                       "written 0x%02x to the debug-exit port 0xf4 (QEMU then "
                       "exits with (value << 1) | 1)" % (run.status >> 1))
    return Diagnosis(Kind.QEMU_FAILED, "QEMU failed: exit status %s (%s) "
                     "after %.1f s" % (run.status, describe_exit(run.status),
                                       run.duration), details)


def _stderr(run):
    """Return detail lines showing QEMU's stderr."""
    text = run.stderr.strip()
    return ["QEMU stderr:"] + (text.splitlines() if text else ["(empty)"])


def _timed_out(run, want, symbolizer):
    """Step 2: the watchdog killed QEMU."""
    if not run.timed_out:
        return None
    details = []
    if run.panic:
        details.append("note: a kernel panic was printed before the timeout "
                       "(the kernel did not exit after panicking)")
    if run.frame.lines is not None and run.frame.problem:
        details.append("the frame opened but never closed")
    return Diagnosis(Kind.TIMEOUT, "timeout: QEMU killed by the watchdog "
                     "after %.0f s" % run.timeout, details)


def _panicked(run, want, symbolizer):
    """Step 3: the kernel panicked; symbolize its call stack."""
    panic = run.panic
    if not panic and run.status != EXIT_PANIC:
        return None
    if not panic:
        return Diagnosis(Kind.PANIC, "kernel panic (exit status 35) without "
                         "a '%s' line" % console.PANIC_MARK,
                         ["no call stack to symbolize"])
    details = [panic.exception] if panic.exception else []
    details.append(panic.message)
    diag = Diagnosis(Kind.PANIC, "kernel panic: %s" % panic.message, details)
    if not panic.addresses:
        details.append("no '%s' addresses to symbolize"
                       % console.CALL_STACK_MARK)
        return diag
    try:
        symbolized = symbolizer(panic.addresses)
    except SymbolizeError as err:
        details.append("Call stack: %s" % " ".join(panic.addresses))
        details.append("could not symbolize the call stack: %s" % err)
        return diag
    details.append("Call stack (symbolized):")
    details.extend("  " + line for line in format_backtrace(symbolized))
    diag.symbolized = any(item.known() for item in symbolized)
    if not diag.symbolized:
        details.append("no address symbolized to a function name")
    return diag


def _reset(run, want, symbolizer):
    """Step 4: the guest reset (triple fault) instead of powering off."""
    if run.status != EXIT_RESET or run.powered_off:
        return None
    return Diagnosis(Kind.RESET, "triple fault or unexpected reboot: QEMU "
                     "exited with status 0 (guest reset) without '%s'"
                     % console.POWER_OFF_LINE)


def _no_output(run, want, symbolizer):
    """Step 5: nothing at all on COM1."""
    if any(line.strip() for line in run.console_lines):
        return None
    return Diagnosis(Kind.NO_OUTPUT, "no output at all on COM1 (the console)")


def _no_frame(run, want, symbolizer):
    """Step 6: the frame is missing or incomplete."""
    if not run.frame.problem:
        return None
    return Diagnosis(Kind.NO_FRAME, "frame missing or incomplete: %s"
                     % run.frame.problem)


def _mismatch(run, want, symbolizer):
    """Step 7: the frame differs from every expected alternative."""
    if want.expected is None:
        return None
    result = expected_mod.compare(want.expected, run.frame.lines)
    if result.matched:
        return None
    return Diagnosis(Kind.MISMATCH, "output mismatch: the console frame "
                     "differs from %s" % want.expected_name,
                     result.diff.splitlines(), diff=result.diff)


def _leak(run, want, symbolizer):
    """Step 8: a resource's final value differs from its baseline.  A
    missing line skips the check (Run.leak_check_note says so)."""
    return _listing(Kind.LEAK, "leak", run.leaks(),
                    "baseline and final accounting (COM2) disagree:")


def _fetch(run, want, symbolizer):
    """Step 9: a file fetched from the payload disk differs."""
    bad = [f for f in want.fetches if f.problem]
    if not bad:
        return None
    return Diagnosis(Kind.FETCH, "fetched-file mismatch: %s"
                     % ", ".join(f.name for f in bad),
                     ["%s: %s" % (f.name, f.problem) for f in bad])


def _stats(run, want, symbolizer):
    """Step 10: an accounting counter misses its condition from the
    test's `stats` table (a counter that is not reported misses too)."""
    bad = []
    for key, cond in sorted(want.stats.items()):
        value = (run.final or {}).get(key)
        if value is None:
            bad.append("%s: not in the accounting line (wanted %s)"
                       % (key, cond))
        elif not cond.holds(value):
            bad.append("%s = %s, wanted %s" % (key, value, cond))
    return _listing(Kind.STATS, "counter check failed", bad,
                    "accounting counters (COM2) against the test's stats:")


def _console_lines(run, want, symbolizer):
    """Step 11: a line the test's `console` list requires is not on COM1
    (anywhere: these are the lines outside the frame, such as option
    warnings)."""
    missing = [line for line in want.console_lines
               if line not in run.console_lines]
    return _listing(Kind.CONSOLE, "console line missing", missing,
                    "lines required on COM1 but absent:")


def _listing(kind, what, problems, heading):
    """Return the Diagnosis `WHAT: P1; P2` with the PROBLEMS listed under
    HEADING in its details, or None when there are none."""
    if not problems:
        return None
    return Diagnosis(kind, "%s: %s" % (what, "; ".join(problems)),
                     [heading] + ["  " + line for line in problems])


def judge(want, diag):
    """Return the Verdict for Diagnosis DIAG under WANT.expect."""
    rule = EXPECTS[want.expect]
    if rule.kind == Kind.OK:
        return Verdict(diag.kind == Kind.OK, diag.reason, diag)
    if diag.kind != rule.kind:
        return Verdict(False, "expected %s, but got %s" %
                       (rule.wanted, _lower_first(diag.reason)), diag)
    if rule.kind == Kind.PANIC and not diag.symbolized:
        return Verdict(False, "the kernel panicked as expected, but its "
                       "backtrace did not symbolize to any function name",
                       diag)
    if rule.kind == Kind.MISMATCH and not diag.diff:
        return Verdict(False, "expected a mismatch with a diff, but the "
                       "harness produced no diff", diag)
    return Verdict(True, "as expected: %s" % diag.reason, diag)


def _lower_first(text):
    """Return TEXT with its first letter in lower case (unless it starts
    with an acronym such as QEMU)."""
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def classify(run, want, symbolizer: Callable):
    """Diagnose RUN and judge it against WANT; return the Verdict.  The
    diagnosis carries a note when the leak check was skipped."""
    diag = diagnose(run, want, symbolizer)
    note = run.leak_check_note()
    if note and diag.kind in (Kind.OK, Kind.FETCH):
        diag.notes.append(note)
    return judge(want, diag)
