"""Unit tests of `make debug`'s preparation (harness/debug.py), without
QEMU."""

import os
import socket

import pytest

from harness import debug
from harness.cases import CaseError

REPO = debug.REPO


def test_test_target_keeps_the_case_settings_and_adds_options():
    t = debug.case_target("vm/vm-swap-anon", "/u", files=["x=/tmp/y"],
                          kopts="console=pintos")
    assert t.name == "vm-vm-swap-anon" and t.label == "test vm/vm-swap-anon"
    assert t.cmdline == "user_pages=64 console=pintos run vm-swap-anon"
    assert t.entries == [("vm-swap-anon", "/u/vm-swap-anon"), ("x", "/tmp/y")]
    assert t.programs == ["/u/vm-swap-anon"]
    assert (t.swap_mb, t.memory) == (4, "64M")


def test_test_target_of_a_selftest_has_no_program():
    t = debug.case_target("kernel/heap", "/u")
    assert t.cmdline == "selftest heap" and t.programs == []


def test_unknown_test_is_named():
    with pytest.raises(CaseError, match="no test case vm/nope"):
        debug.case_target("vm/nope", "/u")


def test_program_target():
    t = debug.program_target("args-multiple", "  a  b ", "/u",
                             files=["userland/data/sample.txt"],
                             kopts="user_pages=32", swap_mb=2)
    assert t.cmdline == "user_pages=32 run args-multiple a  b"
    assert t.entries == [("args-multiple", "/u/args-multiple"),
                         ("sample.txt", "userland/data/sample.txt")]
    assert t.programs == ["/u/args-multiple"] and t.swap_mb == 2


def test_prepare_writes_only_the_work_directory(tmp_path):
    prog = tmp_path / "prog"
    prog.write_bytes(b"\x7fELF")
    t = debug.program_target(str(prog), "", "/u")
    work = tmp_path / "work"
    argv = debug.prepare(t, str(work), "/iso", port=4321, qemu_log=True)
    assert argv[-7:] == ["-gdb", "tcp:127.0.0.1:4321", "-S", "-d",
                         "int,cpu_reset,guest_errors", "-D",
                         str(work / "qemu-int.log")]
    assert "stdio" in argv                      # the console on the terminal
    assert (work / "qemu.argv").read_text().split("\n")[:-1] == argv
    assert sorted(os.listdir(work)) == ["payload.img", "qemu.argv"]


def test_gdbinit(tmp_path):
    t = debug.Target(label="test a/b", name="a-b", cmdline="run p",
                     entries=[], programs=["/u/p", "/u/q"])
    path = debug.write_gdbinit(str(tmp_path), t, "/k/kernel.elf", 4321)
    lines = open(path).read().split("\n")
    assert "source %s" % debug.HELPERS in lines
    assert lines.index("file /k/kernel.elf") < \
        lines.index("add-symbol-file /u/p")
    assert "#   add-symbol-file /u/q" in lines
    assert lines[-2] == "folio-connect 127.0.0.1:4321 %d" \
        % debug.CONNECT_SECONDS


def test_pick_port():
    assert debug.pick_port(5555) == 5555
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not debug._port_free(port)
    assert debug.pick_port(0) > 0
