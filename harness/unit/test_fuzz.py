"""Unit tests of make fuzz's expected frames (harness/fuzz.py): the strict
one of an ordinary seed and the lenient one of a seed under injected
allocation failures, the frame of a seed with a victim, and the judgement
of lock holds."""

from harness.expected import compare, parse_expected
from harness.fuzz import expected_lines, hold_finding

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


def test_victim_frame_needs_the_victims_exit():
    """With a victim, its `exit 0` line must come before the last line; a
    victim that was killed is a finding."""
    with_victim = parse_expected("\n".join(
        expected_lines("fuzz", 7, 100, 2, victim=True)) + "\n")
    ok = CLEAN[:-1] + ["(fuzz) victim: exit 0", CLEAN[-1]]
    killed = CLEAN[:-1] + ["(fuzz) victim: FINDING: status -1 (...)", CLEAN[-1]]
    assert compare(with_victim, ok).matched
    assert not compare(with_victim, killed).matched
    assert not compare(with_victim, CLEAN).matched


def test_hold_finding_names_the_lock_over_the_bound():
    bound = 50e6
    assert hold_finding({"vm_lock_max_hold": 10, "fs_lock_max_hold": 50000000}, bound) is None
    over = hold_finding({"vm_lock_max_hold": 10, "fs_lock_max_hold": 50000001}, bound)
    assert over.startswith("fs_lock_max_hold=50000001 cycles")
    assert hold_finding({"fs_lock_max_hold": 1}, bound) == \
        "no vm_lock_max_hold in the accounting line"


def test_a_hold_over_the_bound_counts_only_when_a_rerun_is_over_it_too(
        tmp_path, monkeypatch):
    """check_holds reruns a seed over the bound alone; the rerun's figures
    (written by the fake run_one below) decide."""
    from types import SimpleNamespace
    from harness import fuzz
    (tmp_path / "s").mkdir()
    reruns = {"once": "vm_lock_max_hold=10\nfs_lock_max_hold=10\n",
              "twice": "vm_lock_max_hold=5000000\nfs_lock_max_hold=10\n"}
    for name in reruns:
        (tmp_path / "s" / (name + ".stats")).write_text(
            "vm_lock_max_hold=5000000\nfs_lock_max_hold=10\n")

    def fake_run_one(cfg, path):
        (tmp_path / "s" / (path + ".stats")).write_text(reruns[path])
    monkeypatch.setattr(fuzz, "run_one", fake_run_one)
    cfg = SimpleNamespace(results=str(tmp_path))
    assert fuzz.check_holds(cfg, "s", [("once", "once")], 1) == 0
    assert fuzz.check_holds(cfg, "s", [("twice", "twice")], 1) == 1
