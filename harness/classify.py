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
 12 log           no line of COM2 matches a pattern of the test's `log` list
    ok            none of the above

Nothing here runs QEMU: the inputs are the text of both ports, the exit
status and a symbolizer function, so unit tests feed canned runs.
"""

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from harness import console, expected as expected_mod
from harness.symbolize import SymbolizeError, format_backtrace
from images.qemu import (EXIT_PANIC, EXIT_POWER_OFF, EXIT_RESET,
                         describe_exit)

EXPECT_VALUES = ("output", "panic", "timeout", "reset", "mismatch")
KIND_FOR_EXPECT = {"output": "ok", "panic": "panic", "timeout": "timeout",
                   "reset": "reset", "mismatch": "mismatch"}


@dataclass
class RunOutput:
    """What a run left behind.  status is QEMU's exit status (None when it
    was killed or never started); start_error is set when it never
    started."""
    console: str
    log: str
    stderr: str = ""
    status: Optional[int] = None
    timed_out: bool = False
    start_error: Optional[str] = None
    duration: float = 0.0
    timeout: float = 0.0


@dataclass
class FetchResult:
    """A file read back from the payload disk; problem is None when it is
    byte for byte the expected file."""
    name: str
    problem: Optional[str] = None


@dataclass
class Expectation:
    """What the test case asks for."""
    expect: str = "output"
    cmdline: Optional[str] = None
    expected: Optional[expected_mod.Expected] = None
    expected_name: str = "the expected output"
    fetches: List[FetchResult] = field(default_factory=list)
    stats: Dict[str, str] = field(default_factory=dict)
    console_lines: List[str] = field(default_factory=list)
    log_patterns: List[str] = field(default_factory=list)


@dataclass
class Diagnosis:
    """What happened in a run: its kind, a one-line reason and detail
    lines (diff, backtrace, stderr); notes are facts worth keeping in the
    .result file whatever the verdict (e.g. a skipped leak check)."""
    kind: str
    reason: str
    details: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    symbolized: bool = False
    diff: str = ""
    missing_log: List[str] = field(default_factory=list)


@dataclass
class Verdict:
    """Whether the test passed, and why (reason is the text after `FAIL: `
    on the .result first line; for a pass it says what was checked)."""
    passed: bool
    reason: str
    diagnosis: Diagnosis


class _Run:
    """The run's text split into lines once, for the diagnosis steps."""

    def __init__(self, run, symbolizer):
        self.run = run
        self.console = console.split_lines(run.console)
        self.log = console.split_lines(run.log)
        self.symbolizer = symbolizer


def diagnose(run, want, symbolizer):
    """Return the Diagnosis of RunOutput RUN for Expectation WANT.

    SYMBOLIZER maps a list of hex addresses to SymbolizedAddress items
    (raising SymbolizeError)."""
    r = _Run(run, symbolizer)
    found = _diagnose_steps(r, want)
    if found.kind == "panic":
        found.missing_log = _missing_log_patterns(r, want)
    return found


def _diagnose_steps(r, want):
    """Return the Diagnosis of the first step of the table that applies."""
    for step in (_qemu_failed, _timed_out, _panicked, _reset, _no_output,
                 _no_frame, _mismatch, _leak, _fetch, _stats, _console_lines,
                 _log_lines):
        found = step(r, want)
        if found:
            return found
    return Diagnosis("ok", "clean power-off, frame as expected, no leak")


def _qemu_failed(r, want):
    """Step 1: QEMU did not start or died with an unexpected status."""
    run = r.run
    if run.start_error:
        return Diagnosis("qemu-failed", "QEMU failed to start: %s"
                         % run.start_error, _stderr(run))
    if run.timed_out or run.status in (EXIT_POWER_OFF, EXIT_PANIC,
                                       EXIT_RESET):
        return None
    details = _stderr(run)
    if not run.stderr.strip() and run.status is not None and run.status % 2:
        details.append("note: with nothing on stderr, the guest may have "
                       "written 0x%02x to the debug-exit port 0xf4 (QEMU then "
                       "exits with (value << 1) | 1)" % (run.status >> 1))
    return Diagnosis("qemu-failed", "QEMU failed: exit status %s (%s) after "
                     "%.1f s" % (run.status, describe_exit(run.status),
                                 run.duration), details)


def _stderr(run):
    """Return detail lines showing QEMU's stderr."""
    text = run.stderr.strip()
    return ["QEMU stderr:"] + (text.splitlines() if text else ["(empty)"])


def _timed_out(r, want):
    """Step 2: the watchdog killed QEMU."""
    if not r.run.timed_out:
        return None
    details = []
    if console.find_panic(r.console, r.log):
        details.append("note: a kernel panic was printed before the timeout "
                       "(the kernel did not exit after panicking)")
    frame = console.extract_frame(r.console, want.cmdline)
    if frame.lines is not None and frame.problem:
        details.append("the frame opened but never closed")
    return Diagnosis("timeout", "timeout: QEMU killed by the watchdog after "
                     "%.0f s" % r.run.timeout, details)


def _panicked(r, want):
    """Step 3: the kernel panicked; symbolize its call stack."""
    panic = console.find_panic(r.console, r.log)
    if not panic and r.run.status != EXIT_PANIC:
        return None
    if not panic:
        return Diagnosis("panic", "kernel panic (exit status 35) without a "
                         "'%s' line" % console.PANIC_MARK,
                         ["no call stack to symbolize"])
    details = [panic.exception] if panic.exception else []
    details.append(panic.message)
    diag = Diagnosis("panic", "kernel panic: %s" % panic.message, details)
    if not panic.addresses:
        details.append("no '%s' addresses to symbolize"
                       % console.CALL_STACK_MARK)
        return diag
    try:
        symbolized = r.symbolizer(panic.addresses)
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


def _reset(r, want):
    """Step 4: the guest reset (triple fault) instead of powering off."""
    if r.run.status != EXIT_RESET:
        return None
    if console.powered_off(r.console):
        return None
    return Diagnosis("reset", "triple fault or unexpected reboot: QEMU exited "
                     "with status 0 (guest reset) without '%s'"
                     % console.POWER_OFF_LINE)


def _no_output(r, want):
    """Step 5: nothing at all on COM1."""
    if any(line.strip() for line in r.console):
        return None
    return Diagnosis("no-output", "no output at all on COM1 (the console)")


def _no_frame(r, want):
    """Step 6: the frame is missing or incomplete."""
    frame = console.extract_frame(r.console, want.cmdline)
    if not frame.problem:
        return None
    return Diagnosis("no-frame", "frame missing or incomplete: %s"
                     % frame.problem)


def _mismatch(r, want):
    """Step 7: the frame differs from every expected alternative."""
    if want.expected is None:
        return None
    frame = console.extract_frame(r.console, want.cmdline)
    result = expected_mod.compare(want.expected, frame.lines)
    if result.matched:
        return None
    return Diagnosis("mismatch", "output mismatch: the console frame differs "
                     "from %s" % want.expected_name, result.diff.splitlines(),
                     diff=result.diff)


def _leak(r, want):
    """Step 8: a resource's final value differs from its baseline.  A
    missing line skips the check, with a note."""
    baseline, final = console.accounting(r.log)
    if baseline is None or final is None:
        return None                     # recorded by leak_note()
    leaks = ["%s: baseline %s, final %s" % (key, baseline.get(key),
                                            final.get(key))
             for key in console.RESOURCE_KEYS
             if baseline.get(key) != final.get(key)]
    if not leaks:
        return None
    return Diagnosis("leak", "leak: %s" % "; ".join(leaks),
                     ["baseline and final accounting (COM2) disagree:"]
                     + ["  " + line for line in leaks])


def _fetch(r, want):
    """Step 9: a file fetched from the payload disk differs."""
    bad = [f for f in want.fetches if f.problem]
    if not bad:
        return None
    return Diagnosis("fetch", "fetched-file mismatch: %s"
                     % ", ".join(f.name for f in bad),
                     ["%s: %s" % (f.name, f.problem) for f in bad])


_OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
        "==": lambda a, b: a == b}


def _stats(r, want):
    """Step 10: an accounting counter misses its condition from the
    test's `stats` table (a counter that is not reported misses too)."""
    if not want.stats:
        return None
    _, final = console.accounting(r.log)
    bad = []
    for key, cond in sorted(want.stats.items()):
        op, number = re.match(r"^(<=|>=|==|<|>)\s*(\d+)$", cond).groups()
        value = (final or {}).get(key)
        if value is None:
            bad.append("%s: not in the accounting line (wanted %s)" % (key, cond))
        elif not _OPS[op](int(value), int(number)):
            bad.append("%s = %s, wanted %s" % (key, value, cond))
    if not bad:
        return None
    return Diagnosis("stats", "counter check failed: %s" % "; ".join(bad),
                     ["accounting counters (COM2) against the test's stats:"]
                     + ["  " + line for line in bad])


def _console_lines(r, want):
    """Step 11: a line the test's `console` list requires is not on COM1
    (anywhere: these are the lines outside the frame, such as option
    warnings)."""
    missing = [line for line in want.console_lines if line not in r.console]
    if not missing:
        return None
    return Diagnosis("console", "console line missing: %s" % "; ".join(missing),
                     ["lines required on COM1 but absent:"]
                     + ["  " + line for line in missing])


def _missing_log_patterns(r, want):
    """Return the patterns of WANT.log_patterns that no COM2 line matches."""
    return [p for p in want.log_patterns
            if not any(re.search(p, line) for line in r.log)]


def _log_lines(r, want):
    """Step 12: a pattern of the test's `log` list matches no line of the
    kernel log (COM2), e.g. the fault notice naming a CPU exception."""
    missing = _missing_log_patterns(r, want)
    if not missing:
        return None
    return Diagnosis("log", "kernel log line missing: %s" % "; ".join(missing),
                     ["patterns that no line of COM2 matches:"]
                     + ["  " + p for p in missing])


def leak_note(run):
    """Return the note to record when the leak check cannot run, or None."""
    baseline, final = console.accounting(console.split_lines(run.log))
    missing = [name for name, line in (("baseline:", baseline),
                                        ("accounting:", final))
               if line is None]
    if not missing:
        return None
    return ("leak check skipped: no %s line on COM2"
            % " or ".join("'%s'" % m for m in missing))


def judge(want, diag):
    """Return the Verdict for Diagnosis DIAG under WANT.expect."""
    expect = want.expect
    wanted = KIND_FOR_EXPECT[expect]
    if expect == "output":
        return Verdict(diag.kind == "ok", diag.reason, diag)
    if diag.kind != wanted:
        return Verdict(False, "expected %s, but got %s" %
                       (_describe_expect(expect), _lower_first(diag.reason)),
                       diag)
    if expect == "panic" and not diag.symbolized:
        return Verdict(False, "the kernel panicked as expected, but its "
                       "backtrace did not symbolize to any function name",
                       diag)
    if expect == "panic" and diag.missing_log:
        return Verdict(False, "the kernel panicked as expected, but no kernel "
                       "log line matches %s" % "; ".join(diag.missing_log),
                       diag)
    if expect == "mismatch" and not diag.diff:
        return Verdict(False, "expected a mismatch with a diff, but the "
                       "harness produced no diff", diag)
    return Verdict(True, "as expected: %s" % diag.reason, diag)


def _describe_expect(expect):
    """Return how the failure message names an expectation."""
    return {"panic": "a kernel panic with a symbolized backtrace",
            "timeout": "the watchdog to fire (a hang)",
            "reset": "a guest reset (triple fault)",
            "mismatch": "the frame NOT to match its expected file"}[expect]


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
    note = leak_note(run)
    if note and diag.kind in ("ok", "fetch"):
        diag.notes.append(note)
    return judge(want, diag)
