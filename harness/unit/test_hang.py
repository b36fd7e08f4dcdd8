"""Unit tests of the kernel's hang report (harness/hang.py) and of its
diagnosis (harness/classify.py, kind `hang`), on canned kernel logs."""

from harness import hang
from harness.cases import Case, CaseId, Expect
from harness.classify import Kind, classify
from harness.run import Run
from harness.symbolize import Location, SymbolizedAddress
from images.qemu import Exit

OPEN = "Folio 0.1 x86-64 kernel booting\nExecuting 'selftest deadlock':\n"
DEADLOCK = """baseline: user_frames=0 swap_slots=0 heap_bytes=256 kernel_pages=5
Kernel HANG: deadlock: every thread is blocked and no sleep, timer alarm or disk request is pending
Thread 1 (main): blocked
Call stack: 0xffffffff80100010 0xffffffff80100020 0xffffffff80100400
Thread 3 (deadlock-0): blocked, stuck
Call stack: 0xffffffff80100010 0xffffffff80100020 0xffffffff80100300
Thread 4 (deadlock-1): blocked
Call stack: 0xffffffff80100010 0xffffffff80100020 0xffffffff80100300
"""
LOCKUP = """Kernel HANG: soft lockup: thread 5 (args single) held the CPU in kernel mode for 1000 ms (lockup_ms=1000)
Thread 1 (main): blocked
Call stack: 0xffffffff80100010 0xffffffff80100400
Thread 5 (args single): running, stuck, rip=0xffffffff80100500
Call stack: 0xffffffff80100600
Thread 6 (child): dying
"""
# Where each canned address is: the scheduler, a lock (inlined into its
# caller, as the compiler does), the test, the loop.
PLACES = {
    "0xffffffff80100010": [Location("schedule", "kernel/thread.c:205")],
    "0xffffffff80100020": [Location("thread_block", "kernel/thread.c:217")],
    "0xffffffff80100300": [Location("lock_acquire", "kernel/sync.c:106"),
                           Location("take_second", "kernel/selftest.c:113")],
    "0xffffffff80100400": [Location("selftest_deadlock",
                                    "kernel/selftest.c:139")],
    "0xffffffff80100500": [Location("sys_write", "proc/syscall.c:200")],
    "0xffffffff80100600": [Location("syscall_dispatch", "proc/syscall.c:311")],
}


def known(addresses, returns=True, program=None):
    return [SymbolizedAddress(a, PLACES[a]) for a in addresses]


def unknown(addresses, returns=True, program=None):
    return [SymbolizedAddress(a, [Location("??", "??:0")]) for a in addresses]


def test_parse_deadlock():
    found = hang.parse(DEADLOCK.splitlines())
    assert found.kind == "deadlock"
    assert [(t.tid, t.name, t.state, t.stuck) for t in found.threads] == [
        (1, "main", "blocked", False), (3, "deadlock-0", "blocked", True),
        (4, "deadlock-1", "blocked", False)]
    assert found.stuck.tid == 3
    assert found.threads[0].addresses[-1] == "0xffffffff80100400"


def test_parse_lockup_keeps_names_with_spaces_and_stackless_threads():
    found = hang.parse(LOCKUP.splitlines())
    assert found.kind == "soft lockup"
    assert found.stuck.name == "args single"
    assert found.stuck.rip == "0xffffffff80100500"
    assert found.threads[2].state == "dying" and not found.threads[2].addresses


def test_no_report():
    assert hang.parse(["Kernel PANIC at x.c:1 in f(): m",
                       "Call stack: 0x1"]) is None


def test_deadlock_place_is_the_first_frame_outside_the_waiting_code():
    out = hang.report(hang.parse(DEADLOCK.splitlines()), known)
    assert out.location == "take_second at kernel/selftest.c:113"
    assert out.symbolized
    # The stuck thread first, then the others in the kernel's order.
    titles = [l for l in out.lines if l.startswith("thread ")]
    assert titles == ["thread 3 (deadlock-0): blocked, stuck",
                      "thread 1 (main): blocked",
                      "thread 4 (deadlock-1): blocked"]


def test_lockup_place_is_the_stuck_rip():
    out = hang.report(hang.parse(LOCKUP.splitlines()), known)
    assert out.location == "sys_write at proc/syscall.c:200"
    assert any("rip 0xffffffff80100500 (in the kernel): sys_write at "
               "proc/syscall.c:200" in l for l in out.lines)


def test_unknown_addresses_name_no_place():
    out = hang.report(hang.parse(DEADLOCK.splitlines()), unknown)
    assert out.location is None and not out.symbolized


def run(log, status=37):
    return Run(console=OPEN, log=log, end=Exit(status, False, 0.0, None),
               timeout=60, cmdline="selftest deadlock")


def case(expect="output"):
    """The Case `kernel/deadlock`, expecting EXPECT and no output."""
    return Case(key=CaseId("kernel", "deadlock"), directory="/nonexistent",
                selftest="deadlock", expect=Expect(expect), expected=None)


def test_classified_as_a_hang_with_its_place():
    verdict = classify(case(), run(DEADLOCK), known)
    assert not verdict.passed and verdict.kind == Kind.HANG
    assert verdict.reason == ("kernel hang: deadlock (thread 3 (deadlock-0) "
                              "in take_second at kernel/selftest.c:113)")
    assert verdict.location == "take_second at kernel/selftest.c:113"


def test_status_37_without_a_report_is_still_a_hang():
    verdict = classify(case(), run("baseline: x=1\n"), known)
    assert verdict.kind == Kind.HANG and "without" in verdict.reason


def test_expect_hang():
    assert classify(case("hang"), run(LOCKUP), known).passed
    verdict = classify(case("hang"), run(LOCKUP), unknown)
    assert not verdict.passed and verdict.kind == Kind.REPORT
    verdict = classify(case("hang"), run("", status=33), known)
    assert not verdict.passed
    assert verdict.reason.startswith("expected the kernel to report a hang")


def test_kind_prints_as_its_value():
    assert str(Kind.HANG) == "hang" and "%s" % Kind.HANG == "hang"
    assert "{}".format(Kind.HANG) == "hang" and f"{Kind.HANG:>6}" == "  hang"
