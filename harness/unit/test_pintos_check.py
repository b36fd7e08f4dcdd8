"""Unit tests of the Pintos-style checker (harness/pintos/): each of
Pintos's common checks fails a console that lacks what it looks for, and
the frame comparison passes only an acceptable output.  No QEMU: the
consoles are written here."""

import os
import subprocess

import pytest

PINTOS = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "pintos")
COW_ISOLATE_CK = os.path.join(PINTOS, "cow-isolate.ck")

FRAME = """\
(cow-isolate) begin
(cow-isolate) child: sees the parent's data, bss, heap and stack
(cow-isolate) child: reads back its own writes
(cow-isolate) child: the parent's later writes are not visible
child: exit(0)
(cow-isolate) wait returns 0
(cow-isolate) parent: its own writes are intact, the child's are not visible
(cow-isolate) end
cow-isolate: exit(0)
"""

GOOD = ("Folio 0.1 x86-64 kernel booting\n"
        "Pintos booting with 65,023 kB RAM...\n"
        "Boot complete.\n"
        "Executing 'cow-isolate':\n" + FRAME +
        "Execution of 'cow-isolate' complete.\n"
        "Timer: 57 ticks\n"
        "Powering off...\n")


def check(tmp_path, console, script=COW_ISOLATE_CK, result=True):
    """Run SCRIPT on CONSOLE; return (exit status, verdict text)."""
    base = tmp_path / "run"
    (tmp_path / "run.output").write_text(console)
    args = ["perl", "-I", PINTOS, script, str(base)]
    if result:
        args.append(str(tmp_path / "run.result"))
    done = subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    text = (tmp_path / "run.result").read_text() if result else \
        done.stdout.decode()
    return done.returncode, text


def test_a_good_console_passes(tmp_path):
    assert check(tmp_path, GOOD) == (0, "PASS\n")


def test_verdict_on_standard_output_without_a_result_file(tmp_path):
    assert check(tmp_path, GOOD, result=False) == (0, "PASS\n")


def test_carriage_returns_are_ignored(tmp_path):
    assert check(tmp_path, GOOD.replace("\n", "\r\n"))[0] == 0


@pytest.mark.parametrize("line, reason", [
    ("Pintos booting with 65,023 kB RAM...", 'no "Pintos booting" line'),
    ("Boot complete.", 'no "Boot complete" line'),
    ("Timer: 57 ticks", 'no "Timer: N ticks" line'),
    ("Powering off...", 'no "Powering off" line'),
])
def test_each_common_line_is_required(tmp_path, line, reason):
    status, text = check(tmp_path, GOOD.replace(line + "\n", ""))
    assert status == 1
    assert text.startswith("FAIL\n") and reason in text


@pytest.mark.parametrize("insert, reason", [
    ("Kernel PANIC at mm/fault.c:12 in f(): boom\nCall stack: 0x1 0x2\n",
     "Kernel panic in run: Kernel PANIC at mm/fault.c:12"),
    ("(cow-isolate) FAIL: data differ\n", "run: FAIL: (cow-isolate) FAIL"),
    ("Pintos booting with 65,023 kB RAM...\n", "rebooted 1 time(s)"),
    ("TIMEOUT after 60 seconds\n", "run: TIMEOUT: TIMEOUT after"),
])
def test_keywords_and_reboots_fail(tmp_path, insert, reason):
    console = GOOD.replace("Execution of", insert + "Execution of")
    status, text = check(tmp_path, console)
    assert status == 1 and reason in text, text


def test_a_panic_report_shows_the_call_stack(tmp_path):
    console = GOOD.replace("Execution of",
                           "Kernel PANIC at a.c:1 in f(): x\nCall stack: 0x1\n"
                           "Execution of")
    assert "Call stack: 0x1" in check(tmp_path, console)[1]


def test_empty_console(tmp_path):
    assert check(tmp_path, "") == (1, "FAIL\nrun produced no output at all\n")


def test_frame_that_never_closes(tmp_path):
    console = GOOD.replace("Execution of 'cow-isolate' complete.\n", "")
    status, text = check(tmp_path, console)
    assert status == 1 and "started but never finished" in text


def test_a_different_line_fails_with_a_diff(tmp_path):
    console = GOOD.replace("(cow-isolate) end\n", "(cow-isolate) END\n")
    status, text = check(tmp_path, console)
    assert status == 1
    assert "output differs from every acceptable output" in text
    assert "- (cow-isolate) end\n+ (cow-isolate) END\n" in text


def test_a_missing_line_fails(tmp_path):
    console = GOOD.replace("child: exit(0)\n", "")
    status, text = check(tmp_path, console)
    assert status == 1 and "- child: exit(0)\n" in text


def test_options_and_alternatives(tmp_path):
    script = tmp_path / "two.ck"
    script.write_text(
        "use strict;\nuse warnings;\nuse PintosCheck;\n"
        "check_expected(IGNORE_EXIT_CODES => 1, [<<'A', <<'B']);\n"
        "(t) one\nA\n(t) two\nB\npass;\n")
    console = ("Pintos booting with 1 kB RAM...\nBoot complete.\n"
               "Executing 't':\n(t) two\nt: exit(3)\n"
               "Execution of 't' complete.\nTimer: 1 ticks\nPowering off...\n")
    assert check(tmp_path, console, str(script)) == (0, "PASS\n")
    status, text = check(tmp_path, console.replace("(t) two", "(t) three"),
                         str(script))
    assert status == 1 and text.count("Acceptable output:") == 2
