"""Unit tests of run classification (harness/classify.py) on canned
console/log text and exit statuses: every failure kind must be told apart,
and each `expect` value judged correctly."""

import pytest

from harness.cases import Case, CaseId, Expect, StatCondition
from harness.classify import EXPECTED_KIND, Kind, classify, diagnose
from harness.expected import parse_expected
from harness import probe
from harness.run import Fetched, Run
from harness.symbolize import Location, SymbolizeError, SymbolizedAddress
from images.qemu import Exit

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


def known(addresses, returns=True, program=None):
    """A symbolizer that knows every address."""
    return [SymbolizedAddress(a, [Location("panic_depth3", "kernel/s.c:45")])
            for a in addresses]


def unknown(addresses, returns=True, program=None):
    """A symbolizer that knows no address."""
    return [SymbolizedAddress(a, [Location("??", "??:0")]) for a in addresses]


def broken(addresses, returns=True, program=None):
    """A symbolizer that fails."""
    raise SymbolizeError("build/kernel.elf does not exist")



def run(console=GOOD_CONSOLE, log=GOOD_LOG, status=33, timed_out=False,
        start_error=None, **kw):
    """Return a canned Run of `selftest palloc` (a clean run unless told
    otherwise)."""
    return Run(console=console, log=log,
               end=Exit(status, timed_out, 0.0, start_error), timeout=60,
               cmdline=CMD, **kw)


def want(expect="output", expected="(palloc) PASS\n", stats=None,
         directory="/nonexistent", **kw):
    """Return the Case `s/palloc` (`selftest palloc`, its expected file
    in DIRECTORY); STATS maps counters to condition texts."""
    return Case(key=CaseId("s", "palloc"), directory=directory,
                selftest="palloc", expect=Expect(expect),
                expected=parse_expected(expected) if expected is not None
                else None,
                stats={k: StatCondition.parse(v)
                       for k, v in (stats or {}).items()}, **kw)


CANNED = {
    "qemu-failed": run("", "", status=1,
                       stderr="qemu-system-x86_64: -drive file=x: No such file"),
    "timeout": run(BANNER + "Executing 'selftest palloc':\n", GOOD_LOG,
                   status=None, timed_out=True),
    "panic": run(BANNER + "Executing 'selftest palloc':\n" + PANIC, PANIC,
                 status=35),
    "hang": run(BANNER + "Executing 'selftest palloc':\n",
                GOOD_LOG + "Kernel HANG: soft lockup: thread 1 (main) held "
                "the CPU in kernel mode for 1000 ms (lockup_ms=1000)\n"
                "Thread 1 (main): running, stuck, rip=0xffffffff8010dfd0\n"
                "Call stack: 0xffffffff8010dfdb\n", status=37),
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
    assert diagnose(want(), CANNED[kind], known)[0].kind == Kind(kind)


def test_every_expect_value_wants_a_kind_of_its_own():
    kinds = [EXPECTED_KIND[expect] for expect in Expect]
    assert len(set(kinds)) == len(kinds) and Kind.OK in kinds


def fetching(tmp_path, **fetched):
    """The Case `s/palloc` fetching each of FETCHED ({name: Fetched}),
    whose expected file `good` beside it holds `line`, and a clean Run
    that read them back."""
    (tmp_path / "good").write_bytes(b"line\n")
    return (want(directory=str(tmp_path),
                 fetch={name: "good" for name in fetched}),
            run(fetched=fetched))


def test_every_failure_kind_is_distinct(tmp_path):
    kinds = {diagnose(want(), r, known)[0].kind for r in CANNED.values()}
    fetch = diagnose(*fetching(tmp_path, out=Fetched(b"lime\n")),
                     known)[0].kind
    assert len(kinds | {fetch}) == len(CANNED) + 1


def test_ok_passes():
    verdict = classify(want(), run(), known)
    assert verdict.passed
    assert verdict.diagnosis.notes == []


def test_qemu_failure_shows_stderr():
    verdict = classify(want(), CANNED["qemu-failed"], known)
    assert not verdict.passed
    assert verdict.reason.startswith("QEMU failed: exit status 1")
    assert "qemu-system-x86_64: -drive file=x: No such file" in \
        verdict.diagnosis.details


def test_odd_status_without_stderr_hints_at_debug_exit():
    diag = diagnose(want(), run(status=3), known)[0]
    assert diag.kind == "qemu-failed"
    assert any("written 0x01 to the debug-exit port" in d
               for d in diag.details)


def test_qemu_not_started_and_killed_by_signal():
    verdict = classify(want(), run("", "", status=None,
                                   start_error="cannot run qemu: No such file"),
                       known)
    assert verdict.reason == "QEMU failed to start: cannot run qemu: No such file"
    assert diagnose(want(), run(status=-11), known)[0].kind == "qemu-failed"


def test_timeout_notes_a_panic_that_did_not_exit():
    diag = diagnose(want(), run(BANNER + PANIC, "", status=None,
                                timed_out=True), known)[0]
    assert diag.kind == "timeout"
    assert any("kernel panic was printed" in d for d in diag.details)


def test_panic_is_symbolized():
    verdict = classify(want(), CANNED["panic"], known)
    assert not verdict.passed
    assert verdict.reason == ("kernel panic: Kernel PANIC at kernel/selftest.c:45"
                              " in panic_depth3(): deliberate")
    assert "  0xffffffff8010dfdb: panic_depth3 at kernel/s.c:45" in \
        verdict.diagnosis.details


def test_panic_from_exit_status_alone():
    diag = diagnose(want(), run(BANNER, "", status=35), known)[0]
    assert diag.kind == "panic"
    assert "without a 'Kernel PANIC at' line" in diag.reason


def test_panic_line_wins_over_reset_status():
    assert diagnose(want(), run(BANNER + PANIC, "", status=0),
                    known)[0].kind == "panic"


def test_reset_status_with_power_off_line_is_clean():
    assert classify(want(), run(status=0), known).passed


def test_whitespace_only_console_is_no_output():
    assert diagnose(want(), run("\r\n \n"), known)[0].kind == "no-output"


def test_frame_that_never_opened():
    diag = diagnose(want(), run(BANNER + POWER_OFF), known)[0]
    assert diag.kind == "no-frame"
    assert "never opened" in diag.reason


def test_mismatch_carries_diff():
    verdict = classify(want(), CANNED["mismatch"], known)
    assert verdict.reason == ("output mismatch: the console frame differs from "
                              "palloc.expected")
    assert "-(palloc) PASS" in verdict.diagnosis.details
    assert "+(palloc) FAIL" in verdict.diagnosis.details


def test_leak_names_resource():
    verdict = classify(want(), CANNED["leak"], known)
    assert verdict.reason == "leak: user_frames: baseline 0, final 2"


def test_leak_check_skipped_without_lines_is_recorded():
    for log in ("", BASELINE, FINAL):
        verdict = classify(want(), run(log=log), known)
        assert verdict.passed
        assert any(n.startswith("leak check skipped") for n in
                   verdict.diagnosis.notes)


def test_fetch_compares_each_file_with_its_expected_file(tmp_path):
    verdict = classify(*fetching(
        tmp_path, **{"ok.txt": Fetched(b"line\n"),
                     "out.txt": Fetched(b"lime\n"),
                     "gone": Fetched(None, "no file named 'gone'")}), known)
    assert verdict.reason == "fetched-file mismatch: gone, out.txt"
    assert verdict.diagnosis.details[0] == "gone: no file named 'gone'"
    out = verdict.diagnosis.details[1]
    assert out.startswith("out.txt: differs from good: 5 bytes expected, 5 "
                          "fetched, first difference at byte 2\n")
    assert "-line" in out and "+lime" in out


def test_expect_panic():
    assert classify(want("panic", None), CANNED["panic"], known).passed
    verdict = classify(want("panic", None), CANNED["panic"], unknown)
    assert not verdict.passed and "did not symbolize" in verdict.reason
    verdict = classify(want("panic", None), CANNED["panic"], broken)
    assert not verdict.passed
    assert any("kernel.elf does not exist" in d
               for d in verdict.diagnosis.details)
    verdict = classify(want("panic", None), run(), known)
    assert not verdict.passed
    assert verdict.reason.startswith("expected a kernel panic")


def test_expect_timeout():
    assert classify(want("timeout", None), CANNED["timeout"], known).passed
    verdict = classify(want("timeout", None), run(), known)
    assert not verdict.passed
    assert verdict.reason.startswith("expected the watchdog to fire")


def test_expect_reset():
    assert classify(want("reset", None), CANNED["reset"], known).passed
    assert not classify(want("reset", None), CANNED["panic"], known).passed


def test_expect_mismatch():
    verdict = classify(want("mismatch"), CANNED["mismatch"], known)
    assert verdict.passed
    assert verdict.diagnosis.diff
    verdict = classify(want("mismatch"), run(), known)
    assert not verdict.passed
    assert "NOT to match" in verdict.reason


def test_stats_condition_met_passes():
    verdict = classify(want(stats={"page_faults": "== 0"}), run(), known)
    assert verdict.passed


def test_stats_condition_missed_names_counter_and_value():
    diag = diagnose(want(stats={"page_faults": "> 0"}), run(), known)[0]
    assert diag.kind == "stats"
    assert "page_faults = 0, wanted > 0" in diag.reason


def test_stats_counter_absent_fails():
    diag = diagnose(want(stats={"evictions": ">= 1"}), run(), known)[0]
    assert diag.kind == "stats"
    assert "evictions: not in the accounting line" in diag.reason


def test_console_line_outside_frame_required():
    line = "folio: unknown option 'bogus' ignored"
    with_line = run(BANNER + line + "\r\n" + FRAME + POWER_OFF)
    assert classify(want(console=[line]), with_line, known).passed
    diag = diagnose(want(console=[line]), run(), known)[0]
    assert diag.kind == "console" and line in diag.reason


def test_log_pattern_required():
    assert classify(want(log=[r"^accounting: user_frames=\d+"]), run(),
                    known).passed
    diag = diagnose(want(log=[r"ata: hd0:1: .* failed"]), run(),
                    known)[0]
    assert diag.kind == Kind.LOG and "ata: hd0:1" in diag.reason
    assert diag.location == r"missing log line: ata: hd0:1: .* failed"


def test_log_patterns_judge_an_expected_panic():
    wanted = want("panic", None, log=[r"^Kernel PANIC at .*deliberate"])
    assert classify(wanted, CANNED["panic"], known).passed
    wanted.log.append(r"^ata: hd0:1: .* failed")
    verdict = classify(wanted, CANNED["panic"], known)
    assert not verdict.passed and verdict.kind == Kind.LOG
    assert verdict.reason.startswith("panic as expected, but also kernel log "
                                     "line missing: ^ata: hd0:1")


def test_log_patterns_do_not_judge_an_unexpected_unfinished_run():
    verdict = classify(want(log=["nothing"]), CANNED["panic"], known)
    assert [d.kind for d in verdict.diagnoses] == [Kind.PANIC]


EXCEPTION_PANIC = (
    "Exception #PF Page Fault (#14) error=0x0 rip=0xffffffff80119100 "
    "cr2=0xffffc00000000000 (kernel)\n"
    " rax=00000000000000f0 rbx=ffffffff8010a360\n"
    "Call stack: 0xffffffff8010cd75 0xffffffff801149bb\n"
    "Kernel PANIC at kernel/interrupt.c:152 in intr_unhandled(): unhandled "
    "#PF Page Fault at rip 0xffffffff80119100\n"
    "Call stack: 0xffffffff8010a87c 0xffffffff80116807\n")


def where(addresses, returns=True, program=None):
    """A symbolizer naming each address's function after the address and
    saying whether it was looked up as a return address."""
    return [SymbolizedAddress(a, [Location("f_%s_%s" % (a[-4:], returns),
                                           "%s.c:%d" % (program or "k",
                                                        int(a[-2:], 16)))])
            for a in addresses]


def test_cpu_exception_names_the_faulting_rip_first():
    r = run(BANNER + "Executing 'selftest palloc':\n" + EXCEPTION_PANIC,
            EXCEPTION_PANIC, status=35)
    diag = diagnose(want(), r, where)[0]
    assert diag.location == "f_9100_False at k.c:0"
    assert diag.reason.endswith(" (faulting in f_9100_False at k.c:0)")
    assert diag.details[1:3] == [
        "faulting instruction:",
        "  rip 0xffffffff80119100 (in the kernel): f_9100_False at k.c:0"]
    # the faulting code's callers, not the interrupt handler's
    start = diag.details.index("Call stack of the faulting code (symbolized):")
    assert diag.details[start + 1] == \
        "  0xffffffff8010cd75: f_cd75_True at k.c:117"


def test_plain_panic_is_located_at_its_site():
    diag = diagnose(want(), CANNED["panic"], known)[0]
    assert diag.location == "kernel/selftest.c:45 in panic_depth3()"


def cpu(user=False, process=None, frames=()):
    """A CpuState as the probe reads it."""
    regs = probe.parse_registers(
        "RAX=1 RBP=2 RIP=%s RFL=202 CPL=%d HLT=0"
        % ("401005" if user else "ffffffff80109ea2", 3 if user else 0))
    return probe.CpuState(regs, thread="main" if not user else process,
                          process=process, pid=1 if process else None,
                          frames=list(frames))


def test_timeout_reports_where_the_kernel_was():
    r = run(BANNER, GOOD_LOG, status=None, timed_out=True,
            cpu=cpu(frames=["0xffffffff8010cd75"]))
    diag = diagnose(want(), r, where)[0]
    assert diag.kind == Kind.TIMEOUT
    assert diag.reason == ("timeout: QEMU killed by the watchdog after 60 s "
                           "(the CPU in f_9ea2_False at k.c:162)")
    assert diag.details[0] == ("CPU state when the watchdog fired (from "
                               "QEMU's monitor): kernel mode, no user "
                               "process, thread 'main'")
    assert "rip 0xffffffff80109ea2 (in the kernel): f_9ea2_False at k.c:162" \
        in diag.details
    assert "  0xffffffff8010cd75: f_cd75_True at k.c:117" in diag.details


def test_timeout_in_user_mode_symbolizes_in_the_program():
    r = run(BANNER, GOOD_LOG, status=None, timed_out=True,
            cpu=cpu(user=True, process="loop"))
    diag = diagnose(want(), r, where)[0]
    assert diag.location == "f_1005_False at loop.c:5"
    assert "rip 0x401005 (in loop): f_1005_False at loop.c:5" in diag.details


def test_timeout_without_cpu_state_says_why():
    r = run(BANNER, GOOD_LOG, status=None, timed_out=True,
            cpu_problem="CPU state at the timeout unknown: no QMP socket")
    diag = diagnose(want(), r, where)[0]
    assert diag.location is None
    assert diag.details[0] == ("CPU state when the watchdog fired: unknown "
                               "(CPU state at the timeout unknown: no QMP "
                               "socket)")


def test_reset_reports_the_faulting_rip():
    r = run(BANNER, GOOD_LOG, status=0, cpu=cpu())
    diag = diagnose(want(), r, where)[0]
    assert diag.kind == Kind.RESET
    assert diag.location == "f_9ea2_False at k.c:162"
    assert diag.details[0].startswith("CPU state at the reset")


def test_every_finished_run_diagnosis_is_reported():
    both = run(GOOD_CONSOLE.replace("PASS", "FAIL"),
               GOOD_LOG.replace("accounting: user_frames=0",
                                "accounting: user_frames=2"))
    verdict = classify(want(stats={"page_faults": "> 0"}), both, known)
    assert [d.kind for d in verdict.diagnoses] == [Kind.MISMATCH, Kind.LEAK,
                                                   Kind.STATS]
    assert verdict.kind == Kind.MISMATCH
    assert verdict.reason == (
        "output mismatch: the console frame differs from palloc.expected; "
        "also leak: user_frames: baseline 0, final 2; also counter check "
        "failed: page_faults = 0, wanted > 0")
    assert verdict.location == "missing line: (palloc) PASS"
    assert verdict.diagnoses[1].location == "user_frames"
    assert verdict.diagnoses[2].location == "page_faults"


def test_unfinished_run_has_one_diagnosis():
    verdict = classify(want(), CANNED["panic"], known)
    assert [d.kind for d in verdict.diagnoses] == [Kind.PANIC]


def test_expected_kind_with_another_problem_fails():
    leaky = CANNED["mismatch"].log.replace("accounting: user_frames=0",
                                           "accounting: user_frames=2")
    verdict = classify(want("mismatch"), run(CANNED["mismatch"].console,
                                             leaky), known)
    assert not verdict.passed and verdict.kind == Kind.LEAK
    assert verdict.reason.startswith("mismatch as expected, but also leak:")


def test_report_patterns():
    wanted = want("panic", None, report=[r"^  0x\w+: panic_depth3 "])
    assert classify(wanted, CANNED["panic"], known).passed
    wanted.report.append("no such line")
    verdict = classify(wanted, CANNED["panic"], known)
    assert not verdict.passed and verdict.kind == Kind.REPORT
    assert verdict.reason == "the report has no line matching 'no such line'"
