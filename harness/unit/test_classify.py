"""Unit tests of run classification (harness/classify.py) on canned
console/log text and exit statuses: every failure kind must be told apart,
and each `expect` value judged correctly."""

import pytest

from harness.classify import (Expectation, FetchResult, RunOutput, classify,
                              diagnose)
from harness.expected import parse_expected
from harness.symbolize import Location, SymbolizeError, SymbolizedAddress

CMD = "selftest palloc"
BANNER = "Folio 0.1 x86-64 kernel booting\n"
FRAME = ("Executing 'selftest palloc':\r\n(palloc) PASS\r\n"
         "Execution of 'selftest palloc' complete.\r\n")
POWER_OFF = "Powering off...\r\n"
GOOD_CONSOLE = BANNER + FRAME + POWER_OFF
BASELINE = "baseline: user_frames=0 swap_slots=0 heap_bytes=256 kernel_pages=5\n"
FINAL = ("accounting: user_frames=0 swap_slots=0 heap_bytes=256 kernel_pages=5"
         " page_faults=0\n")
GOOD_LOG = "Folio 0.1 kernel log\n" + BASELINE + FINAL
PANIC = ("Kernel PANIC at kernel/selftest.c:45 in panic_depth3(): deliberate\n"
         "Call stack: 0xffffffff8010dfdb 0xffffffff8010dfe9\n")


def known(addresses):
    """A symbolizer that knows every address."""
    return [SymbolizedAddress(a, [Location("panic_depth3", "kernel/s.c:45")])
            for a in addresses]


def unknown(addresses):
    """A symbolizer that knows no address."""
    return [SymbolizedAddress(a, [Location("??", "??:0")]) for a in addresses]


def broken(addresses):
    """A symbolizer that fails."""
    raise SymbolizeError("build/kernel.elf does not exist")


def run(console=GOOD_CONSOLE, log=GOOD_LOG, status=33, **kw):
    """Return a canned RunOutput (a clean run unless told otherwise)."""
    return RunOutput(console=console, log=log, status=status, timeout=60, **kw)


def want(expect="output", expected="(palloc) PASS\n", **kw):
    """Return an Expectation for `selftest palloc`."""
    return Expectation(expect=expect, cmdline=CMD,
                       expected=parse_expected(expected) if expected is not None
                       else None, expected_name="palloc.expected", **kw)


CANNED = {
    "qemu-failed": run("", "", status=1,
                       stderr="qemu-system-x86_64: -drive file=x: No such file"),
    "timeout": run(BANNER + "Executing 'selftest palloc':\n", GOOD_LOG,
                   status=None, timed_out=True),
    "panic": run(BANNER + "Executing 'selftest palloc':\n" + PANIC, PANIC,
                 status=35),
    "reset": run(BANNER + "Executing 'selftest palloc':\n", GOOD_LOG,
                 status=0),
    "no-output": run("", GOOD_LOG),
    "no-frame": run(BANNER + "Executing 'selftest palloc':\n" + POWER_OFF),
    "mismatch": run(GOOD_CONSOLE.replace("PASS", "FAIL")),
    "leak": run(log=GOOD_LOG.replace("accounting: user_frames=0",
                                     "accounting: user_frames=2")),
    "ok": run(),
}


@pytest.mark.parametrize("kind", sorted(CANNED))
def test_each_canned_run_gets_its_own_kind(kind):
    assert diagnose(CANNED[kind], want(), known).kind == kind


def test_every_failure_kind_is_distinct():
    kinds = {diagnose(r, want(), known).kind for r in CANNED.values()}
    fetch = diagnose(run(), want(fetches=[FetchResult("out.txt", "differs")]),
                     known).kind
    assert len(kinds | {fetch}) == len(CANNED) + 1


def test_ok_passes():
    verdict = classify(run(), want(), known)
    assert verdict.passed
    assert verdict.diagnosis.notes == []


def test_qemu_failure_shows_stderr():
    verdict = classify(CANNED["qemu-failed"], want(), known)
    assert not verdict.passed
    assert verdict.reason.startswith("QEMU failed: exit status 1")
    assert "qemu-system-x86_64: -drive file=x: No such file" in \
        verdict.diagnosis.details


def test_odd_status_without_stderr_hints_at_debug_exit():
    diag = diagnose(run(status=3), want(), known)
    assert diag.kind == "qemu-failed"
    assert any("written 0x01 to the debug-exit port" in d
               for d in diag.details)


def test_qemu_not_started_and_killed_by_signal():
    verdict = classify(run("", "", status=None,
                           start_error="cannot run qemu: No such file"),
                       want(), known)
    assert verdict.reason == "QEMU failed to start: cannot run qemu: No such file"
    assert diagnose(run(status=-11), want(), known).kind == "qemu-failed"


def test_timeout_notes_a_panic_that_did_not_exit():
    diag = diagnose(run(BANNER + PANIC, "", status=None, timed_out=True),
                    want(), known)
    assert diag.kind == "timeout"
    assert any("kernel panic was printed" in d for d in diag.details)


def test_panic_is_symbolized():
    verdict = classify(CANNED["panic"], want(), known)
    assert not verdict.passed
    assert verdict.reason == ("kernel panic: Kernel PANIC at kernel/selftest.c:45"
                              " in panic_depth3(): deliberate")
    assert "  0xffffffff8010dfdb: panic_depth3 at kernel/s.c:45" in \
        verdict.diagnosis.details


def test_panic_from_exit_status_alone():
    diag = diagnose(run(BANNER, "", status=35), want(), known)
    assert diag.kind == "panic"
    assert "without a 'Kernel PANIC at' line" in diag.reason


def test_panic_line_wins_over_reset_status():
    assert diagnose(run(BANNER + PANIC, "", status=0), want(),
                    known).kind == "panic"


def test_reset_status_with_power_off_line_is_clean():
    assert classify(run(status=0), want(), known).passed


def test_whitespace_only_console_is_no_output():
    assert diagnose(run("\r\n \n"), want(), known).kind == "no-output"


def test_frame_that_never_opened():
    diag = diagnose(run(BANNER + POWER_OFF), want(), known)
    assert diag.kind == "no-frame"
    assert "never opened" in diag.reason


def test_mismatch_carries_diff():
    verdict = classify(CANNED["mismatch"], want(), known)
    assert verdict.reason == ("output mismatch: the console frame differs from "
                              "palloc.expected")
    assert "-(palloc) PASS" in verdict.diagnosis.details
    assert "+(palloc) FAIL" in verdict.diagnosis.details


def test_leak_names_resource():
    verdict = classify(CANNED["leak"], want(), known)
    assert verdict.reason == "leak: user_frames: baseline 0, final 2"


def test_leak_check_skipped_without_lines_is_recorded():
    for log in ("", BASELINE, FINAL):
        verdict = classify(run(log=log), want(), known)
        assert verdict.passed
        assert any(n.startswith("leak check skipped") for n in
                   verdict.diagnosis.notes)


def test_fetch_mismatch():
    verdict = classify(run(), want(fetches=[
        FetchResult("ok.txt"), FetchResult("out.txt", "differs at byte 3")]),
        known)
    assert verdict.reason == "fetched-file mismatch: out.txt"
    assert verdict.diagnosis.details == ["out.txt: differs at byte 3"]


def test_expect_panic():
    assert classify(CANNED["panic"], want("panic", None), known).passed
    verdict = classify(CANNED["panic"], want("panic", None), unknown)
    assert not verdict.passed and "did not symbolize" in verdict.reason
    verdict = classify(CANNED["panic"], want("panic", None), broken)
    assert not verdict.passed
    assert any("kernel.elf does not exist" in d
               for d in verdict.diagnosis.details)
    verdict = classify(run(), want("panic", None), known)
    assert not verdict.passed
    assert verdict.reason.startswith("expected a kernel panic")


def test_expect_timeout():
    assert classify(CANNED["timeout"], want("timeout", None), known).passed
    verdict = classify(run(), want("timeout", None), known)
    assert not verdict.passed
    assert verdict.reason.startswith("expected the watchdog to fire")


def test_expect_reset():
    assert classify(CANNED["reset"], want("reset", None), known).passed
    assert not classify(CANNED["panic"], want("reset", None), known).passed


def test_expect_mismatch():
    verdict = classify(CANNED["mismatch"], want("mismatch"), known)
    assert verdict.passed
    assert verdict.diagnosis.diff
    verdict = classify(run(), want("mismatch"), known)
    assert not verdict.passed
    assert "NOT to match" in verdict.reason


def test_stats_condition_met_passes():
    verdict = classify(run(), want(stats={"page_faults": "== 0"}), known)
    assert verdict.passed


def test_stats_condition_missed_names_counter_and_value():
    diag = diagnose(run(), want(stats={"page_faults": "> 0"}), known)
    assert diag.kind == "stats"
    assert "page_faults = 0, wanted > 0" in diag.reason


def test_stats_counter_absent_fails():
    diag = diagnose(run(), want(stats={"evictions": ">= 1"}), known)
    assert diag.kind == "stats"
    assert "evictions: not in the accounting line" in diag.reason


def test_console_line_outside_frame_required():
    line = "folio: unknown option 'bogus' ignored"
    with_line = run(BANNER + line + "\r\n" + FRAME + POWER_OFF)
    assert classify(with_line, want(console_lines=[line]), known).passed
    diag = diagnose(run(), want(console_lines=[line]), known)
    assert diag.kind == "console" and line in diag.reason


def test_log_pattern_must_match_a_kernel_log_line():
    notice = ("fault: ud2 (pid 3): #UD Invalid Opcode error=0x0 "
              "rip=0x401234 cr2=0x0 rsp=0x4747ffd0: killed\n")
    pattern = r"^fault: ud2 \(pid \d+\): #UD Invalid Opcode error=0x0 rip=0x4"
    with_notice = run(log="Folio 0.1 kernel log\n" + BASELINE + notice + FINAL)
    assert classify(with_notice, want(log_patterns=[pattern]), known).passed
    diag = diagnose(run(), want(log_patterns=[pattern]), known)
    assert diag.kind == "log" and pattern in diag.reason


def test_panic_expectation_checks_log_patterns():
    dump = "Exception #PF Page Fault (#14) error=0x11 rip=0x400000 cr2=0x400000 (kernel)\n"
    panic_run = run(BANNER + "Executing 'selftest palloc':\n" + PANIC,
                    dump + PANIC, status=35)
    good = r"^Exception #PF Page Fault \(#14\) error=0x11 "
    bad = r"^Exception #GP"
    assert classify(panic_run, want("panic", log_patterns=[good]), known).passed
    verdict = classify(panic_run, want("panic", log_patterns=[bad]), known)
    assert not verdict.passed and bad in verdict.reason
