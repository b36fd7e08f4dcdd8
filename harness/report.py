"""Writing the result files of a test (docs/interfaces.md, section 7) and
the message pytest shows when it fails."""

import os

from harness import console
from harness.classify import Kind
from harness.expected import color_diff

TAIL_LINES = 40


def result_text(case, run, verdict):
    """Return the text of the .result file: PASS or FAIL: reason, then
    the details."""
    lines = ["PASS" if verdict.passed else "FAIL: %s" % verdict.reason]
    if verdict.passed:
        lines.append(verdict.reason)
    if case is not None:
        lines += ["test: %s" % case.id, "expect: %s" % case.expect,
                  "kernel command line: %s" % case.kernel_cmdline]
    lines += [run.end.summary(), "diagnosis: %s"
              % ", ".join(d.kind for d in verdict.diagnoses)]
    if verdict.location:
        lines.append("location: %s" % verdict.location)
    lines += detail_lines(verdict)
    return "\n".join(lines) + "\n"


def detail_lines(verdict, color=False):
    """Return the notes and details of every diagnosis of VERDICT, each
    headed by its reason when there are several; COLOR: diffs in ANSI
    colours."""
    diagnoses = verdict.diagnoses
    lines = [note for d in diagnoses for note in d.notes]
    for number, diag in enumerate(diagnoses, start=1):
        details = diag.details
        if color and diag.diff:
            details = color_diff(diag.diff).splitlines()
        if len(diagnoses) > 1:
            lines += ["", "[%d of %d] %s" % (number, len(diagnoses),
                                             diag.reason)]
        elif details:
            lines.append("")
        lines += details
    return lines


def stats_text(run):
    """Return the .stats file: the accounting counters as KEY=VALUE."""
    return "".join("%s=%s\n" % pair for pair in run.counters.items())


def _ensure(path):
    """Create PATH empty unless it exists (a test that never booted still
    leaves every result file)."""
    if not os.path.exists(path):
        open(path, "wb").close()


def write_results(paths, case, run, verdict):
    """Write .result and .stats and make sure every other result file
    exists."""
    for path in (paths.output, paths.log, paths.qemu, paths.stderr):
        _ensure(path)
    with open(paths.result, "w") as out:
        out.write(result_text(case, run, verdict))
    with open(paths.stats, "w") as out:
        out.write(stats_text(run))


def _tail_section(title, path, lines):
    """Return a titled block with the last LINES of one serial port."""
    if not lines:
        return "--- %s: empty (%s) ---" % (title, path)
    return "--- %s, last %d lines (%s) ---\n%s" % (
        title, min(len(lines), TAIL_LINES), path,
        console.tail(lines, TAIL_LINES))


def failure_message(paths, case, run, verdict, repo=None, color=False):
    """Return the text pytest shows for a failed test: the reason, the
    details (diff, backtrace, CPU state, stderr) of every diagnosis, and
    the tails of both ports; COLOR: diffs in ANSI colours."""
    rel = (lambda p: os.path.relpath(p, repo)) if repo else (lambda p: p)
    setup = verdict.diagnosis.kind == Kind.SETUP
    parts = ["FAIL: %s" % verdict.reason]
    if not setup:
        parts.append(run.end.summary())
    parts += detail_lines(verdict, color)
    if setup:
        return "\n".join(parts)
    parts += ["", _tail_section("console (COM1)", rel(paths.output),
                                run.console_lines),
              _tail_section("kernel log (COM2)", rel(paths.log),
                            run.log_lines),
              "", "results: %s.{result,output,log,qemu,stderr,stats}"
              % rel(paths.base)]
    return "\n".join(parts)
