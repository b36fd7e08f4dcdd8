"""Unit tests of make fuzz's expected frames (harness/fuzz.py): the strict
one of an ordinary seed and the lenient one of a seed under injected
allocation failures."""

from harness.expected import compare, parse_expected
from harness.fuzz import expected_lines

CLEAN = ["(fuzz) seed 7: 100 calls in 2 children",
         "(fuzz) child 0: 50 calls",
         "(fuzz) child 1: 50 calls",
         "(fuzz) done: 100 calls, 0 findings"]
# Under fail_alloc: a child killed for want of memory, a setup call that
# failed, a load that could not open its file; exit lines in between.
STARVED = ["(fuzz) seed 7: 100 calls in 2 children",
           "doomed: exit(-1)",
           "load: fuzz: open failed",
           "(fuzz) FINDING child 1 call 0: could not set up (out, edge) (-1)",
           "(fuzz) child 0: FINDING: status -1 (seed 7; `fuzz 7 100 2 trace` replays it)",
           "(fuzz) child 1: 50 calls",
           "(fuzz) done: 100 calls, 2 findings"]


def expected(lenient):
    return parse_expected("\n".join(expected_lines("fuzz", 7, 100, 2, lenient)) + "\n")


def test_strict_frame_takes_a_clean_run_only():
    assert compare(expected(False), CLEAN).matched
    assert not compare(expected(False), STARVED).matched


def test_lenient_frame_takes_the_fuzzers_own_findings():
    assert compare(expected(True), CLEAN).matched
    assert compare(expected(True), STARVED).matched


def test_lenient_frame_still_needs_the_last_line():
    """A parent that died (no `done` line) fails even the lenient frame."""
    assert not compare(expected(True), STARVED[:-1]).matched
    assert not compare(expected(True), STARVED[:-1] + ["(fuzz) done: 99 calls, 2 findings"]).matched
