"""The expected-output format (docs/interfaces.md, section 6) and the
comparison of a console frame against it.

    %% ignore-exit-codes      drop `NAME: exit(N)` lines on both sides
    %% ignore-faults          drop fault notices on both sides
    first acceptable output
    %% or
    second acceptable output

Directives may appear only before the first output line; `%% or`
separates alternatives; every other line is literal.  Lines are compared
without trailing spaces and CRs.
"""

import difflib
import re
from dataclasses import dataclass
from typing import List, Optional

from harness.console import printable, split_lines

DIRECTIVE_PREFIX = "%% "
OR_LINE = "%% or"
IGNORE_EXIT_CODES = "ignore-exit-codes"
IGNORE_FAULTS = "ignore-faults"
DIRECTIVES = (IGNORE_EXIT_CODES, IGNORE_FAULTS)

_EXIT_RE = re.compile(r"^\S+: exit\(-?\d+\)$")
_FAULT_RES = (re.compile(r"^Page fault at "),
              re.compile(r" dying due to interrupt "))


class ExpectedFormatError(Exception):
    """An expected-output file breaks the format; the message says where."""


@dataclass
class Expected:
    """A parsed expected-output file."""
    alternatives: List[List[str]]
    ignore_exit_codes: bool = False
    ignore_faults: bool = False


@dataclass
class Comparison:
    """The result of comparing a frame with an Expected.

    index is the alternative that matched or, on a mismatch, the closest
    one; diff is empty on a match."""
    matched: bool
    index: int
    diff: str


def parse_expected(text, source="expected output"):
    """Parse the text of an expected-output file into an Expected.

    Raises ExpectedFormatError for an unknown directive or a directive
    after the first output line (or after `%% or`)."""
    expected = Expected(alternatives=[[]])
    in_preamble = True
    for number, line in enumerate(split_lines(text), start=1):
        if line == OR_LINE:
            expected.alternatives.append([])
            in_preamble = False
        elif line.startswith(DIRECTIVE_PREFIX) or line == "%%":
            _apply_directive(expected, line, in_preamble, source, number)
        else:
            expected.alternatives[-1].append(line)
            in_preamble = False
    return expected


def _apply_directive(expected, line, in_preamble, source, number):
    """Record directive LINE (line NUMBER of SOURCE) in EXPECTED."""
    name = line[len(DIRECTIVE_PREFIX):].strip()
    if name not in DIRECTIVES:
        raise ExpectedFormatError(
            "%s:%d: unknown directive %r (known: %s, and '%s' between "
            "alternatives)" % (source, number, line,
                               ", ".join("%% " + d for d in DIRECTIVES),
                               OR_LINE))
    if not in_preamble:
        raise ExpectedFormatError(
            "%s:%d: directive %r must come before the first output line"
            % (source, number, line))
    if name == IGNORE_EXIT_CODES:
        expected.ignore_exit_codes = True
    else:
        expected.ignore_faults = True


def is_exit_line(line):
    """Return True for a kernel `NAME: exit(STATUS)` line."""
    return bool(_EXIT_RE.match(line))


def is_fault_line(line):
    """Return True for a fault notice (`Page fault at ...`,
    `... dying due to interrupt ...`)."""
    return any(regex.search(line) for regex in _FAULT_RES)


def filter_lines(lines, expected):
    """Return LINES without the lines EXPECTED's directives ignore."""
    kept = []
    for line in lines:
        if expected.ignore_exit_codes and is_exit_line(line):
            continue
        if expected.ignore_faults and is_fault_line(line):
            continue
        kept.append(line)
    return kept


def compare(expected, frame_lines):
    """Compare FRAME_LINES (already cleaned) with EXPECTED.

    Returns a Comparison; on a mismatch its diff is a unified diff against
    the closest alternative."""
    actual = filter_lines(frame_lines, expected)
    candidates = [filter_lines(alt, expected) for alt in expected.alternatives]
    for index, candidate in enumerate(candidates):
        if candidate == actual:
            return Comparison(True, index, "")
    index = closest(candidates, actual)
    return Comparison(False, index,
                      render_diff(candidates[index], actual, index,
                                  len(candidates)))


def closest(candidates, actual):
    """Return the index of the candidate most similar to ACTUAL (the first
    one on a tie)."""
    scores = [difflib.SequenceMatcher(None, c, actual, autojunk=False).ratio()
              for c in candidates]
    return scores.index(max(scores))


def render_diff(expected_lines, actual_lines, index=0, count=1):
    """Return a readable unified diff from EXPECTED_LINES to ACTUAL_LINES,
    headed by which alternative it is against when there are several."""
    label = "expected"
    if count > 1:
        label = "expected (alternative %d of %d, the closest)" % (index + 1,
                                                                 count)
    diff = list(difflib.unified_diff(expected_lines, actual_lines,
                                     fromfile=label,
                                     tofile="actual (console frame)",
                                     lineterm="", n=3))
    if not expected_lines and not actual_lines:
        return ""
    if not expected_lines:
        diff.append("(the expected output is empty)")
    if not actual_lines:
        diff.append("(the console frame is empty)")
    return "\n".join(printable(line) for line in diff)


def load_expected(path):
    """Read and parse the expected-output file at PATH."""
    with open(path, "rb") as src:
        text = src.read().decode("utf-8", "replace")
    return parse_expected(text, str(path))


def describe(expected: Optional[Expected]):
    """Return a one-line summary of EXPECTED for result details."""
    if expected is None:
        return "no expected output"
    flags = [d for d, on in ((IGNORE_EXIT_CODES, expected.ignore_exit_codes),
                             (IGNORE_FAULTS, expected.ignore_faults)) if on]
    return "%d alternative(s)%s" % (len(expected.alternatives),
                                   ", " + ", ".join(flags) if flags else "")
