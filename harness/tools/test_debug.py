"""`make debug`: QEMU waits for GDB, and gdb (in batch mode, driven by
these tests) stops in the kernel with its locals visible and reads the
VM structures through the helpers of harness/gdb/folio.py.

Every wait is bounded: QEMU by the tool's TIMEOUT, gdb by its own, both
scaled by the session's timeout factor."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from harness.tools.support import REPO, LineReader, make_env, stop_group

USER_TOP = 0x8004000000
WAITING = re.compile(r"waits for GDB on 127\.0\.0\.1:(\d+); attach with: "
                     r"gdb -x (\S+)$")

# Stop in page_fault, then step until its three locals hold values: the
# fault address, the process, the verdict of vm_fault (how many `next`s
# that takes depends on the compiler, hence the loop, bounded).
PAGE_FAULT_SCRIPT = """\
break page_fault
continue
python
def all_visible():
    for name in ("addr", "p", "v"):
        try:
            if gdb.parse_and_eval(name).is_optimized_out:
                return False
        except gdb.error:
            return False
    return True
for _ in range(12):
    if all_visible():
        break
    gdb.execute("next")
end
echo ==locals\\n
info locals
echo ==page\\n
folio-page addr
echo ==thread\\n
folio-thread
echo ==end\\n
kill
"""

# Stop at the first copy-on-write break of a frame that another page still
# holds, print the frame's holders, let the break finish, print the page.
COW_SCRIPT = """\
python
class SharedFrameBreak(gdb.Breakpoint):
    def stop(self):
        return frame_holders(gdb.parse_and_eval("p")["frame"]) > 1
SharedFrameBreak("page_unshare")
end
continue
set $va = p->va
python gdb.set_convenience_variable("pid", int(process_of_vm(gdb.parse_and_eval("p->vm"))["pid"]))
echo ==bt\\n
bt 8
echo ==main\\n
folio-bt 1
echo ==before\\n
folio-frame p
folio-page $va $pid
delete
finish
echo ==after\\n
folio-page $va $pid
folio-frame $va $pid
echo ==end\\n
kill
"""


def run_gdb(gdbinit, script, tmp_path, seconds):
    """Run gdb in batch mode on GDBINIT then SCRIPT; return its output."""
    path = tmp_path / "script.gdb"
    path.write_text(script)
    done = subprocess.run(["gdb", "-nx", "-batch", "-x", gdbinit,
                           "-x", str(path)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=seconds)
    return done.stdout.decode("utf-8", "replace")


def section(output, name):
    """The lines of OUTPUT between `==NAME` and the next `==` marker."""
    text = output.split("==%s\n" % name, 1)
    assert len(text) == 2, "no section %s in gdb's output:\n%s" % (
        name, output)
    return text[1].split("\n==", 1)[0]


def start_waiting(cmd, seconds):
    """Start CMD (a `make debug` or harness.debug with --gdb no) and wait
    for its line saying where QEMU waits; return (process, reader, port,
    gdbinit)."""
    proc = subprocess.Popen(cmd, cwd=REPO, env=make_env(),
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    reader = LineReader(proc.stdout)
    line = reader.wait_for(WAITING.search, seconds)
    if line is None:
        stop_group(proc)
        pytest.fail("no 'waits for GDB' line within %g s; output:\n%s"
                    % (seconds, "\n".join(reader.lines)), pytrace=False)
    port, gdbinit = WAITING.search(line).groups()
    return proc, reader, int(port), os.path.join(REPO, gdbinit)


def test_make_debug_test_stops_in_page_fault_with_locals(folio, debug_kernel,
                                                         tmp_path):
    factor = folio.timeout_factor
    cmd = ["make", "--no-print-directory", "debug", "TEST=vm/vm-swap-anon",
           "GDB=no", "GDBPORT=0", "TIMEOUT=%d" % (300 * factor)]
    proc, reader, port, gdbinit = start_waiting(cmd, 300 * factor)
    try:
        workdir = os.path.join(REPO, "build", "debug", "vm-vm-swap-anon")
        assert os.path.dirname(gdbinit) == workdir
        with open(os.path.join(workdir, "qemu.argv")) as src:
            argv = src.read().split("\n")
        assert "tcp:127.0.0.1:%d" % port in argv and "-S" in argv
        results = os.path.join(REPO, "build", "results")
        assert not [w for w in argv if results in w], argv
        output = run_gdb(gdbinit, PAGE_FAULT_SCRIPT, tmp_path, 300 * factor)
    finally:
        stop_group(proc)
    assert "Breakpoint 1, page_fault (" in output, output
    local = section(output, "locals")
    found = re.search(r"^addr = (\d+)$", local, re.M)
    assert found, output
    assert 0 < int(found.group(1)) < USER_TOP
    assert re.search(r"^p = 0x[0-9a-f]+$", local, re.M), output
    assert re.search(r"^v = FAULT_RESOLVED$", local, re.M), output
    page = section(output, "page")
    assert re.search(r"^page 0x[0-9a-f]+ of process 1 'vm-swap-anon': "
                     r"(exec|anon), ", page, re.M), output
    thread = section(output, "thread")
    assert "process 1 'vm-swap-anon'" in thread and "(running)" in thread


def test_helpers_show_a_copy_on_write_break(folio, debug_kernel, tmp_path):
    factor = folio.timeout_factor
    iso, elf = debug_kernel
    cmd = [sys.executable, "-m", "harness.debug", "--test", "cow/cow-isolate",
           "--iso", iso, "--kernel-elf", elf, "--out", str(tmp_path / "work"),
           "--gdb", "no", "--port", "0", "--timeout", str(300 * factor)]
    proc, reader, port, gdbinit = start_waiting(cmd, 60 * factor)
    try:
        output = run_gdb(gdbinit, COW_SCRIPT, tmp_path, 300 * factor)
    finally:
        stop_group(proc)
    backtrace = section(output, "bt")         # unwinds from the CFI
    assert re.search(r"^#\d+ .* in page_fault \(f=", backtrace, re.M), output
    main = section(output, "main")            # blocked, waiting for the run
    assert re.search(r"^  #\d+ 0x[0-9a-f]+: process_run at proc/", main,
                     re.M) and ": kmain at kernel/main.c:" in main, output
    before, after = section(output, "before"), section(output, "after")
    holders = int(re.search(r"holders \((\d+)\):", before).group(1))
    assert holders >= 2, output
    ptes = re.findall(r"^      PTE: (.*)", before, re.M)    # the holders'
    assert len(ptes) == holders and all("(read-only)" in p for p in ptes), \
        output
    old = re.search(r"^frame #(\d+):", before, re.M).group(1)
    page = re.search(r"^page 0x[0-9a-f]+ of process \d+ '[^']*': \w+, "
                     r"writable, in frame #(\d+) \(kva 0x[0-9a-f]+, "
                     r"1 holder\)",
                     after, re.M)
    assert page and page.group(1) != old, output
    pte = re.search(r"^  PTE: phys 0x[0-9a-f]+ ([A-Z ]+)", after, re.M)
    assert pte and "W" in pte.group(1).split(), output


# The batch recipes of docs/debugging.md ("Batch mode: gdb in a script"),
# run as written there (the port is a free one, which the gdbinit names),
# but for the hang recipe's `timeout -s INT 5`, a Ctrl-C some seconds
# after gdb starts.  The test sends that SIGINT SETTLE seconds after the
# console shows the loop's self-test starting (the kernel logs a few
# lines before the loop).  A fixed delay from gdb's start loses the race
# to a slow start on a busy machine (gdb gets the SIGINT before its
# `continue` and never reaches its `kill`), or spins the loop for seconds
# to no purpose.

SETTLE = 0.3


def batch_recipe(folio, test, gdb_command, interrupt_at=None):
    """Start `make debug TEST=TEST GDB=no` and run GDB_COMMAND (a function
    of the gdbinit's path returning argv) against it; with INTERRUPT_AT,
    send gdb SIGINT SETTLE seconds after QEMU's console shows that line.
    Return gdb's output once QEMU has ended (the recipe's `kill`)."""
    factor = folio.timeout_factor
    proc, reader, port, gdbinit = start_waiting(
        ["make", "--no-print-directory", "debug", "TEST=%s" % test,
         "GDB=no", "GDBPORT=0", "TIMEOUT=%d" % (300 * factor)],
        300 * factor)
    try:
        assert gdbinit.endswith("build/debug/%s/gdbinit"
                                % test.replace("/", "-"))
        gdb = subprocess.Popen(
            gdb_command(gdbinit), cwd=REPO, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            if interrupt_at is not None:
                shown = reader.wait_for(lambda l: l == interrupt_at,
                                        60 * factor)
                assert shown, "\n".join(reader.lines)
                time.sleep(SETTLE * factor)
                gdb.send_signal(signal.SIGINT)
            output, _ = gdb.communicate(timeout=120 * factor)
        finally:
            if gdb.poll() is None:
                gdb.kill()
        assert proc.wait(timeout=30 * factor) == 0, "\n".join(reader.lines)
    finally:
        stop_group(proc)
    return output.decode("utf-8", "replace")


def test_batch_recipe_breakpoint_locals_backtrace(folio, debug_kernel):
    output = batch_recipe(folio, "userprog/args-multiple", lambda gdbinit: [
        "gdb", "-batch", "-x", gdbinit, "-ex", "break sys_write",
        "-ex", "continue", "-ex", "next 3", "-ex", "info locals",
        "-ex", "x/s buf", "-ex", "bt", "-ex", "kill"])
    assert re.search(r"^Breakpoint 1, sys_write \(f=0x[0-9a-f]+\) at "
                     r"proc/syscall\.c:\d+$", output, re.M), output
    assert re.search(r"^size = 22$", output, re.M), output
    assert re.search(r'^0x[0-9a-f]+( <\w+>)?:\s+"\(args-multiple\) '
                     r'begin\\n"$', output, re.M), output
    assert re.search(r"^#1 +0x[0-9a-f]+ in syscall_dispatch \(f=", output,
                     re.M), output
    assert "[Inferior 1 (process 1) killed]" in output


def test_batch_recipe_for_a_hang(folio, debug_kernel):
    output = batch_recipe(folio, "harness/hang-expected", lambda gdbinit: [
        "gdb", "-batch", "-x", gdbinit, "-ex", "continue",
        "-ex", "folio-thread", "-ex", "bt", "-ex", "kill"],
        interrupt_at="Executing 'selftest hang':")
    assert "Program received signal SIGINT, Interrupt." in output, output
    assert re.search(r"^thread 1 'main' \(running\)", output, re.M), output
    assert "the CPU is in kernel mode" in output
    assert re.search(r"^#0 +hang_spin \(\) at kernel/selftest\.c:\d+$",
                     output, re.M), output
    assert re.search(r"^#1 +0x[0-9a-f]+ in selftest_hang \(\)", output,
                     re.M), output
