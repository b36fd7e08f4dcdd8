"""Unit tests of `make debug`'s preparation (harness/debug.py), without
QEMU."""

import dataclasses
import os
import socket

import pytest

from harness import debug
from harness.cases import Case, CaseError, CaseId
from images import payload

REPO = debug.REPO


def test_test_target_keeps_the_case_settings_and_adds_options(tmp_path):
    extra = tmp_path / "y"
    extra.write_text("data")
    t = debug.case_target("vm/vm-swap-anon", "/u", files=["x=%s" % extra],
                          kopts="console=pintos")
    assert t.name == "vm-vm-swap-anon" and t.label == "test vm/vm-swap-anon"
    assert t.cmdline == "user_pages=64 console=pintos run vm-swap-anon"
    assert t.case.files[-1] == ("x", str(extra))
    assert t.programs == ["/u/vm-swap-anon"]
    assert (t.case.swap_mb, t.case.memory) == (4, "64M")


def test_test_target_of_a_selftest_has_no_program():
    t = debug.case_target("kernel/heap", "/u")
    assert t.cmdline == "selftest heap" and t.programs == []


def test_a_pio_test_gets_its_suite_options():
    t = debug.case_target("pio/block", "/u")
    assert "ata=pio" in t.cmdline.split()


def test_unknown_test_program_or_file_is_named(tmp_path):
    with pytest.raises(CaseError, match="no test case vm/nope"):
        debug.case_target("vm/nope", "/u")
    with pytest.raises(CaseError, match="no program /u/nope"):
        debug.program_target("nope", "", "/u")
    with pytest.raises(CaseError, match="no file /no/such"):
        debug.case_target("kernel/heap", "/u", files=["/no/such"])


def test_program_target(tmp_path, monkeypatch):
    (tmp_path / "args-multiple").write_bytes(b"\x7fELF")
    (tmp_path / "sample.txt").write_text("data")
    monkeypatch.chdir(tmp_path)             # --file paths are the caller's
    t = debug.program_target("args-multiple", "  'a'  b ", str(tmp_path),
                             files=["sample.txt"], kopts="user_pages=32",
                             swap_mb=2)
    # ARGS as a shell splits it: the words the program gets, one space
    # apart; a word holding a space cannot be passed
    assert t.cmdline == "user_pages=32 run args-multiple a b"
    with pytest.raises(payload.ImageError, match="cannot be passed"):
        debug.program_target("args-multiple", '"a b"', str(tmp_path))
    assert t.case.files == [("sample.txt", str(tmp_path / "sample.txt"))]
    assert t.programs == [str(tmp_path / "args-multiple")]
    assert t.case.swap_mb == 2


def iso(tmp_path):
    """An ISO file to boot (prepare checks that it exists)."""
    (tmp_path / "folio.iso").write_bytes(b"")
    return str(tmp_path / "folio.iso")


def test_prepare_refuses_a_missing_iso_before_building_disks(tmp_path):
    prog = tmp_path / "prog"
    prog.write_bytes(b"\x7fELF")
    t = debug.program_target(str(prog), "", "/u")
    with pytest.raises(CaseError, match="does not exist"):
        debug.prepare(t, str(tmp_path / "work"), str(tmp_path / "none.iso"))
    assert os.listdir(tmp_path / "work") == []


def test_prepare_writes_only_the_work_directory(tmp_path):
    prog = tmp_path / "prog"
    prog.write_bytes(b"\x7fELF")
    t = debug.program_target(str(prog), "", "/u")
    work = tmp_path / "work"
    argv = debug.prepare(t, str(work), iso(tmp_path), port=4321,
                         qemu_log=True)
    assert argv[-7:] == ["-gdb", "tcp:127.0.0.1:4321", "-S", "-d",
                         "int,cpu_reset,guest_errors", "-D",
                         str(work / "qemu-int.log")]
    assert "stdio" in argv                      # the console on the terminal
    assert (work / "qemu.argv").read_text().split("\n")[:-1] == argv
    assert sorted(os.listdir(work)) == ["payload.img", "qemu.argv"]


def test_prepare_injects_the_cases_disk_errors(tmp_path):
    t = debug.case_target("io/io-swap-read", "/u")
    (tmp_path / "u").mkdir()
    for program in t.case.image_programs():
        (tmp_path / "u" / program).write_bytes(b"\x7fELF")
    t = dataclasses.replace(t, userland=str(tmp_path / "u"))
    argv = debug.prepare(t, str(tmp_path / "work"), iso(tmp_path))
    assert any("file.driver=blkdebug" in word for word in argv)
    assert (tmp_path / "work" / "swap.blkdebug").exists()


def test_gdbinit(tmp_path):
    case = Case(key=CaseId("a", "b"), directory="/t", run="p",
                programs=["q"])
    t = debug.Target(label="test a/b", name="a-b", case=case, userland="/u")
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
