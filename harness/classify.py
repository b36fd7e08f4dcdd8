"""Classifying a finished run: what happened (diagnose) and whether that is
what the test expected (judge).

The diagnosis steps, in order:

  1 qemu-failed   QEMU did not run (bad option, missing file, crash)
  1b cmdline      exit status 39: the kernel refused its command line
                  (an unknown option or a bad value; kernel/cmdline.c)
  2 timeout       the watchdog killed QEMU
  3 panic         exit status 35 or a `Kernel PANIC at` line
  3b hang         exit status 37 or a `Kernel HANG:` line: the kernel found
                  a deadlock or a soft lockup (harness.hang)
  4 reset         exit status 0 without `Powering off...` (triple fault)
  5 no-output     nothing at all on COM1
  6 no-frame      the frame is missing or incomplete
  7 mismatch      the frame differs from the expected output
  8 leak          baseline and final accounting disagree on a resource
  9 fetch         a file fetched from the payload disk differs
 10 stats         an accounting counter misses the test's `stats` condition
 11 console       a line the test's `console` list requires is not on COM1
 12 log           a pattern of the test's `log` list matches no line of COM2
    ok            none of the above

Steps 1 to 6 say the run never finished its work, so the first of them
that applies is the whole diagnosis; steps 7 to 12 each judge a finished
run, and every one of them that applies is reported (a wrong line and a
leak together).  Step 12 also judges a run that ended the way its test
expects (a panic for `expect = "panic"`): the kernel log of a planted
panic or hang must still show what the test asks for.  Each diagnosis names where it happened when it can (the
faulting function, the panic site, the missing line): its `location`.

Nothing here runs QEMU: the inputs are the test's harness.cases.Case
(what it asks for), a harness.run.Run (the text of both ports, how QEMU
ended, the CPU state and the files read back, parsed once) and a
symbolizer (harness.symbolize.Symbolizer), so unit tests feed canned runs.
"""

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from harness import console, expected as expected_mod, hang as hang_mod
from harness.cases import Expect
from harness.compat import StrEnum
from harness.run import FSCK
from harness.symbolize import (SymbolizeError, format_backtrace,
                               panic_report, symbolized_rip)
from images.qemu import Ending


class Kind(StrEnum):
    """What happened in a run: the diagnosis steps' kinds, in order, plus
    `ok` and `setup` (the test could not be run at all).  The value is
    what `.result`, results.json and JUnit say, and what str() and
    format() give."""
    SETUP = "setup"
    QEMU_FAILED = "qemu-failed"
    CMDLINE = "cmdline"
    TIMEOUT = "timeout"
    PANIC = "panic"
    HANG = "hang"
    RESET = "reset"
    NO_OUTPUT = "no-output"
    NO_FRAME = "no-frame"
    MISMATCH = "mismatch"
    LEAK = "leak"
    FETCH = "fetch"
    STATS = "stats"
    CONSOLE = "console"
    LOG = "log"
    OK = "ok"
    # The run ended as the test expected, but the harness's report of it
    # lacks what the test asks for (a symbolized backtrace, a diff, a
    # line matching one of its `report` patterns).
    REPORT = "report"


# The Kind each `expect` value asks a run to get.
EXPECTED_KIND = {
    Expect.OUTPUT: Kind.OK,
    Expect.PANIC: Kind.PANIC,
    Expect.HANG: Kind.HANG,
    Expect.TIMEOUT: Kind.TIMEOUT,
    Expect.RESET: Kind.RESET,
    Expect.MISMATCH: Kind.MISMATCH,
    Expect.REFUSED: Kind.CMDLINE,
}


@dataclass
class Diagnosis:
    """What happened in a run: its kind, a one-line reason and detail
    lines (diff, backtrace, stderr); notes are facts worth keeping in the
    .result file whatever the verdict (e.g. a skipped leak check);
    location says where it happened (None: nowhere in particular)."""
    kind: Kind
    reason: str
    details: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    symbolized: bool = False
    diff: str = ""
    location: Optional[str] = None


@dataclass
class Verdict:
    """Whether the test passed, and why (reason is the text after `FAIL: `
    on the .result first line; for a pass it says what was checked).
    diagnoses are all that applied, the first the main one; kind is the
    failure's kind (None for a pass) and culprit the index of the
    diagnosis the failure is about (the main one, unless the run ended
    as expected and another problem failed it)."""
    passed: bool
    reason: str
    diagnoses: List[Diagnosis]
    kind: Optional[Kind] = None
    culprit: int = 0

    @property
    def diagnosis(self):
        """The main diagnosis."""
        return self.diagnoses[0]

    @property
    def location(self):
        """Where the failure happened (None for a pass)."""
        return self.diagnoses[self.culprit].location if self.kind else None


# The kinds of steps 1 to 6: the run never finished its work.
UNFINISHED = frozenset((Kind.QEMU_FAILED, Kind.CMDLINE, Kind.TIMEOUT,
                        Kind.PANIC, Kind.HANG, Kind.RESET, Kind.NO_OUTPUT,
                        Kind.NO_FRAME))


def diagnose(case, run, symbolizer):
    """Return the Diagnoses of Run RUN of test Case CASE, the main one
    first (a single OK one for a clean run).

    SYMBOLIZER maps a list of hex addresses to SymbolizedAddress items
    (raising SymbolizeError).  A run that never finished its work is
    judged by its `log` patterns only when it ended the way CASE
    expects."""
    for step in (_qemu_failed, _refused, _timed_out, _panicked, _hung,
                 _reset, _no_output, _no_frame):
        found = step(run, case, symbolizer)
        if found:
            log = None
            if found.kind == EXPECTED_KIND[case.expect]:
                log = _log_patterns(run, case, symbolizer)
            return [found] + ([log] if log else [])
    found = [d for d in (step(run, case, symbolizer) for step in
                         (_mismatch, _leak, _fetch, _stats, _console_lines,
                          _log_patterns))
             if d]
    return found or [Diagnosis(Kind.OK, "clean power-off, frame as "
                               "expected, no leak")]


# How QEMU may end for a run that steps 2 to 6 judge.
_GUEST_ENDINGS = (Ending.TIMED_OUT, Ending.POWER_OFF, Ending.PANIC,
                  Ending.HANG, Ending.RESET, Ending.REFUSED)


def _qemu_failed(run, case, symbolizer):
    """Step 1: QEMU did not start or died with an unexpected status."""
    end = run.end
    if end.ending == Ending.NOT_STARTED:
        return Diagnosis(Kind.QEMU_FAILED, "QEMU failed to start: %s"
                         % end.start_error, _stderr(run))
    if end.ending in _GUEST_ENDINGS:
        return None
    details = _stderr(run)
    if not run.stderr.strip() and end.debug_exit_value is not None:
        details.append("note: with nothing on stderr, the guest may have "
                       "written 0x%02x to the debug-exit port 0xf4 (QEMU then "
                       "exits with (value << 1) | 1)" % end.debug_exit_value)
    return Diagnosis(Kind.QEMU_FAILED, "QEMU failed: exit status %s (%s) "
                     "after %.1f s" % (end.status, end.describe(),
                                       end.seconds), details,
                     location="exit status %s" % end.status)


def _refused(run, case, symbolizer):
    """Step 1, second half: the kernel refused its command line (exit
    status 39); name each option it complained about and the line of
    the test's .toml (or its suite.toml) that holds it."""
    if run.end.ending != Ending.REFUSED:
        return None
    bad = console.bad_options(run.console_lines)
    details = ["the kernel's command line: %s" % case.kernel_cmdline]
    for line, name in bad:
        where = case.line_naming(name)
        details.append("%s%s" % (line, " (%s)" % where if where else ""))
    if not bad:
        details.append("no 'folio: unknown option' or 'folio: bad value' "
                       "line on COM1")
    names = ", ".join("'%s'" % name for _, name in bad)
    first = case.line_naming(bad[0][1]) if bad else None
    return Diagnosis(Kind.CMDLINE, "kernel refused its command line "
                     "(exit status 39): %s%s" % (
                         "; ".join(line[len("folio: "):] for line, _ in bad)
                         or "no option named", _at("in", first)),
                     details, location="option %s" % names if bad else None)


def _stderr(run):
    """Return detail lines showing QEMU's stderr."""
    text = run.stderr.strip()
    return ["QEMU stderr:"] + (text.splitlines() if text else ["(empty)"])


def _timed_out(run, case, symbolizer):
    """Step 2: the watchdog killed QEMU; say where the CPU was."""
    if run.end.ending != Ending.TIMED_OUT:
        return None
    details, location = cpu_report(run, symbolizer,
                                   "when the watchdog fired")
    if run.panic:
        details.append("note: a kernel panic was printed before the timeout "
                       "(the kernel did not exit after panicking)")
    if run.frame.lines is not None and run.frame.problem:
        details.append("the frame opened but never closed")
    return Diagnosis(Kind.TIMEOUT, "timeout: QEMU killed by the watchdog "
                     "after %.0f s%s" % (run.timeout,
                                         _at("the CPU in", location)),
                     details, location=location)


def _at(what, location):
    """Return ` (WHAT LOCATION)` for a reason line, or nothing."""
    return " (%s %s)" % (what, location) if location else ""


def cpu_report(run, symbolizer, when):
    """Return (detail lines, location) describing RUN's CPU state (read
    WHEN): user or kernel mode, process and thread, the rip symbolized
    (in the kernel or in the user program), the registers and the call
    stack of the mode the CPU was in.  The location is the innermost function at the rip."""
    cpu = run.cpu
    if cpu is None:
        return (["CPU state %s: unknown (%s)"
                 % (when, run.cpu_problem or "QEMU's monitor was not asked")],
                None)
    lines = ["CPU state %s (from QEMU's monitor): %s" % (when, cpu.who())]
    program = cpu.process if cpu.user_mode else None
    rip_lines, location = symbolized_rip(cpu.rip, symbolizer, program)
    lines += rip_lines + ["registers:"]
    lines += ["  " + line for line in cpu.register_lines()]
    if cpu.frames:
        lines.append("user call stack of %s (symbolized):" % program
                     if program else "kernel call stack (symbolized):")
        lines += ["  " + line for line in
                  _symbolized_stack(cpu.frames, symbolizer, program)]
    lines += cpu.notes
    if run.cpu_problem:
        lines.append("note: %s" % run.cpu_problem)
    return lines, location


def _symbolized_stack(addresses, symbolizer, program=None):
    """Return the lines of a symbolized call stack (ADDRESSES are return
    addresses) of the kernel, or of user PROGRAM."""
    try:
        return format_backtrace(symbolizer(addresses, program=program))
    except SymbolizeError as err:
        return [" ".join(addresses), "could not symbolize: %s" % err]


def _panicked(run, case, symbolizer):
    """Step 3: the kernel panicked.  A CPU exception's faulting rip comes
    first, symbolized with its inline chain, then the call stack: that of
    the faulting code when the kernel printed one, else the panic's."""
    panic = run.panic
    if not panic and run.end.ending != Ending.PANIC:
        return None
    if not panic:
        return Diagnosis(Kind.PANIC, "kernel panic (exit status 35) without "
                         "a '%s' line" % console.PANIC_MARK,
                         ["no call stack to symbolize"])
    report = panic_report(panic, symbolizer)
    return Diagnosis(Kind.PANIC, "kernel panic: %s%s" % (
        panic.message, _at("faulting in", report.location)
        if panic.rip else ""),
        report.lines, symbolized=report.symbolized, location=report.location)


def _hung(run, case, symbolizer):
    """Step 3b: the kernel found a deadlock or a soft lockup and powered
    off (exit status 37), or printed its report; say where, with every
    thread's stack."""
    hang = hang_mod.parse(run.log_lines)
    if not hang and run.end.ending != Ending.HANG:
        return None
    if not hang:
        return Diagnosis(Kind.HANG, "kernel hang (exit status 37) without "
                         "a '%s' line" % hang_mod.HANG_MARK,
                         ["no thread stacks to symbolize"])
    report = hang_mod.report(hang, symbolizer)
    stuck = hang.stuck
    return Diagnosis(Kind.HANG, "kernel hang: %s%s" % (
        hang.kind, _at("%s in" % stuck.title(), report.location)
        if stuck else ""),
        report.lines, symbolized=report.symbolized,
        location=report.location)


def _reset(run, case, symbolizer):
    """Step 4: the guest reset (triple fault) instead of powering off:
    name it by its cause when the rerun's interrupt log shows the chain
    of exceptions (harness.triple), else by where the CPU was."""
    if run.end.ending != Ending.RESET or run.powered_off:
        return None
    details, location = cpu_report(run, symbolizer, "at the reset")
    chain = run.chain
    if chain is None:
        if run.chain_problem:
            details.append("note: %s" % run.chain_problem)
        return Diagnosis(Kind.RESET, "triple fault or unexpected reboot: "
                         "QEMU exited with status 0 (guest reset) without "
                         "'%s'%s" % (console.POWER_OFF_LINE,
                                     _at("the CPU in", location)),
                         details, location=location)
    lines, location = _chain_report(chain, symbolizer)
    return Diagnosis(Kind.RESET, "triple fault: %s" % location,
                     lines + details, location=location)


def _chain_report(chain, symbolizer):
    """Return (detail lines, location) of a triple fault's CHAIN: the
    chain with the instruction that started it symbolized; the location
    is its cause: the chain and the broken gate for a hardware
    interrupt (wherever it struck), the chain at the instruction for an
    exception or INT n."""
    start = chain.start
    rip_lines, at = symbolized_rip("0x%x" % start.rip, symbolizer)
    cause = chain.cause()
    lines = chain.lines()
    if cause:
        lines.append("cause: %s" % cause)
    if start.external:
        lines.append("started by %s, which struck this instruction (any "
                     "other would have done):" % start.name)
        location = chain.arrows() + (": %s" % cause if cause else "")
    else:
        lines.append("started by this instruction:")
        location = chain.arrows() + (" at %s" % at if at else "")
    return lines + ["  " + line for line in rip_lines], location


def _no_output(run, case, symbolizer):
    """Step 5: nothing at all on COM1."""
    if any(line.strip() for line in run.console_lines):
        return None
    return Diagnosis(Kind.NO_OUTPUT, "no output at all on COM1 (the console)")


def _no_frame(run, case, symbolizer):
    """Step 6: the frame is missing or incomplete."""
    if not run.frame.problem:
        return None
    return Diagnosis(Kind.NO_FRAME, "frame missing or incomplete: %s"
                     % run.frame.problem, location=run.frame.problem)


def _mismatch(run, case, symbolizer):
    """Step 7: the frame differs from every expected alternative."""
    if case.expected is None:
        return None
    result = expected_mod.compare(case.expected, run.frame.lines)
    if result.matched:
        return None
    return Diagnosis(Kind.MISMATCH, "output mismatch: the console frame "
                     "differs from %s" % case.expected_name,
                     result.diff.splitlines(), diff=result.diff,
                     location=result.first_difference)


def _leak(run, case, symbolizer):
    """Step 8: a resource's final value differs from its baseline.  A
    missing line skips the check (Run.leak_check_note says so)."""
    leaks = run.leaks()
    return _listing(Kind.LEAK, "leak", [str(leak) for leak in leaks],
                    "baseline and final accounting (COM2) disagree:",
                    ", ".join(leak.key for leak in leaks))


def _fetch(run, case, symbolizer):
    """Step 9: a file fetched from the payload disk differs from its
    expected file beside the test, or could not be read."""
    bad = []
    for image_name, expected_file in sorted(case.fetch.items()):
        fetched = run.fetched.get(image_name)
        if fetched is None or fetched.data is None:
            problem = fetched.error if fetched else "not fetched"
        else:
            with open(os.path.join(case.directory, expected_file),
                      "rb") as src:
                problem = bytes_difference(src.read(), fetched.data,
                                           expected_file)
        if problem:
            bad.append((image_name, problem))
    if FSCK in run.fetched:
        bad.append((FSCK, run.fetched[FSCK].error))
    if not bad:
        return None
    names = ", ".join(name for name, _ in bad)
    return Diagnosis(Kind.FETCH, "fetched-file mismatch: %s" % names,
                     ["%s: %s" % item for item in bad], location=names)


def bytes_difference(want, got, expected_name):
    """Return None when GOT equals WANT, else a description of the first
    difference (with a short text diff when both are small text)."""
    if want == got:
        return None
    text = ("differs from %s: %d bytes expected, %d fetched"
            % (expected_name, len(want), len(got)))
    offset = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b),
                  min(len(want), len(got)))
    text += ", first difference at byte %d" % offset
    try:
        want_text, got_text = want.decode("utf-8"), got.decode("utf-8")
    except UnicodeDecodeError:
        return text
    if len(want_text) + len(got_text) > 16384:
        return text
    diff = difflib.unified_diff(want_text.splitlines(), got_text.splitlines(),
                                expected_name, "fetched", lineterm="")
    return text + "\n" + "\n".join(diff)


def _stats(run, case, symbolizer):
    """Step 10: an accounting counter misses its condition from the
    test's `stats` table (a counter that is not reported misses too)."""
    bad, names = [], []
    for key, cond in sorted(case.stats.items()):
        value = (run.final or {}).get(key)
        if value is None:
            bad.append("%s: not in the accounting line (wanted %s)"
                       % (key, cond))
        elif not cond.holds(value):
            bad.append("%s = %s, wanted %s" % (key, value, cond))
        else:
            continue
        names.append(key)
    return _listing(Kind.STATS, "counter check failed", bad,
                    "accounting counters (COM2) against the test's stats:",
                    ", ".join(names))


def _console_lines(run, case, symbolizer):
    """Step 11: a line the test's `console` list requires is not on COM1
    (anywhere: these are the lines outside the frame, such as option
    warnings)."""
    missing = [line for line in case.console
               if line not in run.console_lines]
    return _listing(Kind.CONSOLE, "console line missing", missing,
                    "lines required on COM1 but absent:",
                    "missing line: %s" % missing[0] if missing else None)


def _log_patterns(run, case, symbolizer):
    """Step 12: a regular expression of the test's `log` list matches no
    line of COM2 (the kernel log)."""
    missing = [p for p in case.log
               if not any(re.search(p, line) for line in run.log_lines)]
    return _listing(Kind.LOG, "kernel log line missing", missing,
                    "patterns that match no line of COM2:",
                    "missing log line: %s" % missing[0] if missing else None)


def _listing(kind, what, problems, heading, location):
    """Return the Diagnosis `WHAT: P1; P2` at LOCATION with the PROBLEMS
    listed under HEADING in its details, or None when there are none."""
    if not problems:
        return None
    return Diagnosis(kind, "%s: %s" % (what, "; ".join(problems)),
                     [heading] + ["  " + line for line in problems],
                     location=location)


def judge(case, diagnoses):
    """Return the Verdict for DIAGNOSES (the main one first) under
    CASE.expect and CASE.report."""
    main = diagnoses[0]
    kind = EXPECTED_KIND[case.expect]
    reason = "; also ".join(d.reason for d in diagnoses)
    if kind == Kind.OK:
        if main.kind == Kind.OK:
            return _report_verdict(case, diagnoses, main.reason)
        return Verdict(False, reason, diagnoses, main.kind)
    if main.kind != kind:
        return Verdict(False, "expected %s, but got %s" %
                       (case.expect.wanted, _lower_first(reason)), diagnoses,
                       main.kind)
    if len(diagnoses) > 1:
        return Verdict(False, "%s as expected, but also %s" % (
            main.kind, "; ".join(d.reason for d in diagnoses[1:])),
            diagnoses, diagnoses[1].kind, culprit=1)
    if kind == Kind.PANIC and not main.symbolized:
        return Verdict(False, "the kernel panicked as expected, but its "
                       "backtrace did not symbolize to any function name",
                       diagnoses, Kind.REPORT)
    if kind == Kind.HANG and not main.symbolized:
        return Verdict(False, "the kernel reported a hang as expected, but "
                       "no address of its report symbolized to a function "
                       "name", diagnoses, Kind.REPORT)
    if kind == Kind.MISMATCH and not main.diff:
        return Verdict(False, "expected a mismatch with a diff, but the "
                       "harness produced no diff", diagnoses, Kind.REPORT)
    return _report_verdict(case, diagnoses, "as expected: %s" % main.reason)


def _report_verdict(case, diagnoses, reason):
    """Return the passing Verdict with REASON, unless the report of
    DIAGNOSES lacks a line matching one of CASE.report."""
    text = [line for d in diagnoses for line in [d.reason] + d.details]
    missing = [p for p in case.report
               if not any(re.search(p, line) for line in text)]
    if missing:
        return Verdict(False, "the report has no line matching %s" % ", ".join(
            repr(p) for p in missing), diagnoses, Kind.REPORT)
    return Verdict(True, reason, diagnoses)


def _lower_first(text):
    """Return TEXT with its first letter in lower case (unless it starts
    with an acronym such as QEMU)."""
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def classify(case, run, symbolizer: Callable):
    """Diagnose RUN of CASE and judge it against what CASE asks for;
    return the Verdict.  The main diagnosis carries a note when the leak
    check was skipped."""
    diagnoses = diagnose(case, run, symbolizer)
    note = run.leak_check_note()
    if note and diagnoses[0].kind not in UNFINISHED:
        diagnoses[0].notes.append(note)
    return judge(case, diagnoses)
