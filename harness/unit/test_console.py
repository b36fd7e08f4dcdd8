"""Unit tests of serial-output parsing (harness/console.py)."""

from harness.console import (accounting, counters, extract_frame, find_panic,
                             powered_off, printable, split_lines, tail)


def test_split_lines_cleans_crs_and_trailing_spaces():
    assert split_lines("a \r\nb\r\n") == ["a", "b"]
    assert split_lines("a\n\rb\n\r") == ["a", "b", ""]
    assert split_lines("no newline") == ["no newline"]
    assert split_lines("") == []


def test_frame_with_quotes_in_cmdline():
    cmd = "args-dq \"x y\" 'z' it's"
    lines = ["Folio 0.1 x86-64 kernel booting",
             "Executing '%s':" % cmd, "args-dq: 4 args", "args-dq: exit(0)",
             "Execution of '%s' complete." % cmd, "Powering off..."]
    frame = extract_frame(lines, cmd)
    assert frame.problem is None
    assert frame.cmdline == cmd
    assert frame.lines == ["args-dq: 4 args", "args-dq: exit(0)"]
    # found without being told the command line, too
    assert extract_frame(lines).lines == frame.lines


def test_frame_missing_end_marker():
    lines = ["Executing 'selftest threads':", "(threads) started"]
    frame = extract_frame(lines, "selftest threads")
    assert frame.lines == ["(threads) started"]
    assert "never closed" in frame.problem
    assert "Execution of 'selftest threads' complete." in frame.problem


def test_frame_never_opened():
    frame = extract_frame(["Folio 0.1 x86-64 kernel booting"], "selftest heap")
    assert frame.lines is None
    assert "never opened" in frame.problem


def test_frame_for_another_cmdline():
    frame = extract_frame(["Executing 'args a b':",
                           "Execution of 'args a b' complete."], "args a  b")
    assert frame.lines is None
    assert "opens for 'args a b' but the test ran 'args a  b'" in frame.problem


def test_frame_empty_and_last_end_marker_counts():
    lines = ["Executing 'p':", "Execution of 'p' complete.", "junk",
             "Execution of 'p' complete."]
    assert extract_frame(lines, "p").lines == ["Execution of 'p' complete.",
                                                "junk"]
    assert extract_frame(lines[:2], "p").lines == []


def test_markers_recognized_after_terminal_escapes():
    lines = ["\x1b[H\x1b[JExecuting 'p':", "out",
             "\x1b[1;1HExecution of 'p' complete.", "\x1b[HPowering off..."]
    assert extract_frame(lines, "p").lines == ["out"]
    assert powered_off(lines)
    assert not powered_off(["Powering off... not"])


def test_panic_on_console_with_exception_line():
    console = ["Executing 'selftest panic':",
               "Exception #PF (#14) error=0x2 rip=0xffffffff80100010 cr2=0x0",
               "rax=0 rbx=0",
               "Kernel PANIC at kernel/palloc.c:12 in palloc_get(): oops",
               "Call stack: 0xffffffff8010a1b2 0xffffffff80104c10"]
    panic = find_panic(split_lines("\n".join(console)), [])
    assert panic.message == "Kernel PANIC at kernel/palloc.c:12 in palloc_get(): oops"
    assert panic.exception.startswith("Exception #PF (#14)")
    assert panic.addresses == ["0xffffffff8010a1b2", "0xffffffff80104c10"]
    assert panic.source == "COM1"


def test_panic_mid_line_and_call_stack_from_log():
    console = ["partial outputKernel PANIC at a.c:1 in f(): m"]
    log = ["Kernel PANIC at a.c:1 in f(): m", "Call stack: 0x10 0x20"]
    panic = find_panic(console, log)
    assert panic.message == "Kernel PANIC at a.c:1 in f(): m"
    assert panic.addresses == ["0x10", "0x20"]
    assert find_panic([], log).source == "COM2"
    assert find_panic(["fine"], ["fine"]) is None


def test_accounting_lines():
    log = ["boot", "baseline: user_frames=0 swap_slots=0 heap_bytes=4096 "
           "kernel_pages=40",
           "accounting: user_frames=0 swap_slots=0 heap_bytes=4096 "
           "kernel_pages=41 page_faults=12 evictions=3 mode=lru"]
    baseline, final = accounting(log)
    assert baseline == {"user_frames": 0, "swap_slots": 0, "heap_bytes": 4096,
                        "kernel_pages": 40}
    assert final["kernel_pages"] == 41
    assert counters(final) == {"page_faults": 12, "evictions": 3,
                               "mode": "lru"}
    assert accounting(["nothing"]) == (None, None)
    assert counters(None) == {}


def test_printable_and_tail():
    assert printable("a\x1b[Hb\tc\x00") == "a^[[Hb\tc^@"
    lines = ["l%d" % i for i in range(50)]
    shown = tail(lines, 40).splitlines()
    assert shown[0] == "[... 10 earlier lines ...]"
    assert shown[-1] == "l49" and len(shown) == 41
    assert tail(["x"], 40) == "x"


def test_exception_as_the_kernel_prints_it():
    """The exception line names the vector with spaces in it; the call
    stack printed before the panic line is the faulting code's."""
    log = ["Exception #PF Page Fault (#14) error=0x0 rip=0xffffffff80119100 "
           "cr2=0xffffc00000000000 (kernel)",
           " rax=00000000000000f0 rbx=ffffffff8010a360",
           "Call stack: 0xffffffff8010cd75 0xffffffff801149bb",
           "Kernel PANIC at kernel/interrupt.c:152 in intr_unhandled(): "
           "unhandled #PF Page Fault at rip 0xffffffff80119100",
           "Call stack: 0xffffffff8010a87c"]
    panic = find_panic(["Kernel PANIC at kernel/interrupt.c:152 in "
                        "intr_unhandled(): unhandled"], log)
    assert panic.source == "COM1"
    assert panic.exception.startswith("Exception #PF Page Fault (#14)")
    assert panic.rip == "0xffffffff80119100"
    assert panic.exception_addresses == ["0xffffffff8010cd75",
                                         "0xffffffff801149bb"]
    assert panic.addresses == ["0xffffffff8010a87c"]
    assert panic.site == "kernel/interrupt.c:152 in intr_unhandled()"
