"""Unit tests of the frozen QEMU command line (images/qemu.py) and the
payload helpers (images/payload.py)."""

import os
import subprocess
import time

import pytest

from images import payload, qemu


def settings(**kw):
    """Return QemuSettings with test defaults."""
    base = dict(boot=qemu.IsoBoot("build/folio.iso"), cmdline="run p",
                payload="/r/p.img", console="/r/t.output", log="/r/t.log")
    base.update(kw)
    return qemu.QemuSettings(**base)


def test_frozen_argv():
    assert qemu.qemu_argv(settings()) == [
        "qemu-system-x86_64", "-machine", "pc", "-cpu",
        "qemu64,+smep,+smap,+umip,-tsc", "-m", "64M",
        "-smp", "1", "-display", "none", "-monitor", "none", "-no-reboot",
        "-vga", "none", "-nic", "none", "-boot", "d",
        "-drive", "file=build/folio.iso,media=cdrom,if=ide,index=2,readonly=on",
        "-drive", "file=/r/p.img,format=raw,if=ide,index=0",
        "-serial", "file:/r/t.output", "-serial", "file:/r/t.log",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def test_without_debug_exit_device():
    argv = qemu.qemu_argv(settings(debug_exit=False))
    assert "isa-debug-exit,iobase=0xf4,iosize=0x04" not in argv
    assert argv[-2:] == ["-serial", "file:/r/t.log"]


def test_swap_memory_kvm_and_stdio():
    argv = qemu.qemu_argv(settings(swap="/r/s.img", memory="128M", kvm=True,
                                   console=None))
    assert argv[argv.index("-m") + 1] == "128M"
    assert "file=/r/s.img,format=raw,if=ide,index=1" in argv
    assert argv[-2:] == ["-accel", "kvm"]
    assert argv[argv.index("-serial") + 1] == "stdio"


def test_comma_in_drive_path_is_doubled():
    argv = qemu.qemu_argv(settings(payload="/r/a,b.img"))
    assert "file=/r/a,,b.img,format=raw,if=ide,index=0" in argv


def test_kvm_request(monkeypatch):
    monkeypatch.delenv("FOLIO_KVM", raising=False)
    assert not qemu.kvm_requested()
    assert qemu.kvm_requested(True)
    monkeypatch.setenv("FOLIO_KVM", "1")
    assert qemu.kvm_requested()


def test_kvm_refused_when_device_cannot_open(monkeypatch):
    def fail(*args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(qemu.os, "open", fail)
    with pytest.raises(qemu.KvmUnavailable, match="/dev/kvm cannot be opened"):
        qemu.check_kvm()


def test_how_qemu_ended():
    Ending = qemu.Ending
    ends = [(qemu.Exit(33), Ending.POWER_OFF, "clean power-off"),
            (qemu.Exit(35), Ending.PANIC, "kernel panic"),
            (qemu.Exit(0), Ending.RESET,
             "guest reset: triple fault or reboot"),
            (qemu.Exit(1), Ending.QEMU_ERROR, "QEMU itself failed"),
            (qemu.Exit(3), Ending.OTHER, "unexpected exit status"),
            (qemu.Exit(None, True), Ending.TIMED_OUT,
             "killed by the watchdog"),
            (qemu.Exit(-9), Ending.SIGNAL, "killed by signal 9"),
            (qemu.Exit(start_error="no such file"), Ending.NOT_STARTED,
             "QEMU did not start"),
            (qemu.Exit(), Ending.NOT_RUN, "QEMU was not run")]
    for end, ending, text in ends:
        assert (end.ending, end.describe()) == (ending, text)
    assert qemu.Exit(35, seconds=1.25).summary() == \
        "QEMU exit status 35 (kernel panic) after 1.2 s"
    assert qemu.Exit(None, True, 60.04).summary() == \
        "QEMU killed by the watchdog after 60.0 s"
    assert qemu.Exit(3).debug_exit_value == 1
    assert qemu.Exit(33).debug_exit_value == 0x10
    assert qemu.Exit(0).debug_exit_value is None


def test_settings_for_and_extra_options_last(tmp_path):
    images = payload.Images(payload="/r/p.img", swap="/r/s.img", cmdline="x",
                            superblock=None)
    s = qemu.settings_for(qemu.IsoBoot("/b/f.iso"), images, "/r/c", "/r/l",
                          memory="128M", qmp_socket="/r/q",
                          extra=["-icount", "shift=0"])
    assert (s.payload, s.swap, s.memory, s.cmdline) == (
        "/r/p.img", "/r/s.img", "128M", "x")
    argv = qemu.qemu_argv(s)
    assert argv[-6:] == ["-qmp", "unix:/r/q,server=on,wait=off", "-action",
                         "shutdown=pause", "-icount", "shift=0"]
    assert argv[argv.index("-boot"):argv.index("-boot") + 4] == [
        "-boot", "d", "-drive",
        "file=/b/f.iso,media=cdrom,if=ide,index=2,readonly=on"]
    with pytest.raises(qemu.BootMissing):
        qemu.IsoBoot(str(tmp_path / "none.iso")).check()


def test_compose_cmdline_keeps_action_spaces():
    assert payload.compose_cmdline("run args a  b", " quiet ", 64) == \
        "user_pages=64 quiet run args a  b"
    assert payload.compose_cmdline("selftest heap") == "selftest heap"


def test_file_entry():
    assert payload.file_entry("userland/data/x.txt") == ("x.txt",
                                                         "userland/data/x.txt")
    assert payload.file_entry("y=/tmp/x") == ("y", "/tmp/x")
    with pytest.raises(payload.ImageError):
        payload.file_entry("=x")


def test_build_images(tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(b"hello")
    files = payload.read_files([("a", str(src))])
    built = payload.build_images(str(tmp_path / "out"), "selftest heap", files,
                                 swap_mb=1)
    assert built.swap.endswith("swap.img")
    built = payload.build_images(str(tmp_path / "out"), "selftest heap", files)
    assert built.swap is None and not (tmp_path / "out" / "swap.img").exists()
    with pytest.raises(payload.ImageError, match="cannot read"):
        payload.read_files([("b", str(tmp_path / "missing"))])
    with pytest.raises(payload.ImageError, match="backslash"):
        payload.build_images(str(tmp_path / "out"), "a\\b", {})


def test_blkdebug_drive_only_where_asked():
    argv = qemu.qemu_argv(settings(swap="/r/s.img",
                                   blkdebug={"swap": "/r/a,b.conf"}))
    assert "file=/r/p.img,format=raw,if=ide,index=0" in argv
    assert ("driver=raw,file.driver=blkdebug,file.config=/r/a,,b.conf,"
            "file.image.filename=/r/s.img,if=ide,index=1") in argv


def test_blkdebug_drives_come_before_the_qmp_block():
    argv = qemu.qemu_argv(settings(blkdebug={"payload": "/r/p.conf"},
                                   qmp_socket="/r/qmp.sock"))
    assert argv[-4:] == ["-qmp", "unix:/r/qmp.sock,server=on,wait=off",
                         "-action", "shutdown=pause"]
    assert any("file.config=/r/p.conf" in word for word in argv[:-4])


def test_run_returns_status_and_exact_time():
    start = time.monotonic()
    end = qemu.run(["sh", "-c", "sleep 0.1; exit 33"], timeout=10)
    assert (end.status, end.timed_out) == (33, False)
    assert 0.1 <= end.seconds <= time.monotonic() - start


def test_run_polls_and_kills_at_the_deadline():
    polls, asked = [], []

    def before_kill(proc):
        asked.append(proc.poll())       # still running when asked
    end = qemu.run(["sleep", "30"], timeout=0.15, poll=lambda: polls.append(1),
                   before_kill=before_kill, poll_seconds=0.02)
    assert end.timed_out and end.status is None
    assert asked == [None]
    assert len(polls) >= 3 and end.seconds < 5


def test_run_kills_at_the_deadline_without_a_poll():
    """images/build --boot --timeout and make debug --timeout pass no
    poll function."""
    end = qemu.run(["sleep", "30"], timeout=0.15)
    assert end.timed_out and end.status is None and end.seconds < 5


def test_run_without_a_deadline_and_a_missing_binary():
    assert qemu.run(["true"], stdout=subprocess.DEVNULL).status == 0
    with pytest.raises(OSError):
        qemu.run(["/nonexistent/qemu"])


def test_qmp_socket_for_the_harness_diagnosis():
    argv = qemu.qemu_argv(settings(qmp_socket="/r/a,b/qmp.sock"))
    assert argv[-4:] == ["-qmp", "unix:/r/a,,b/qmp.sock,server=on,wait=off",
                         "-action", "shutdown=pause"]
    assert "-monitor" in argv and "-qmp" not in qemu.qemu_argv(settings())


def test_direct_argv_passes_the_command_line_as_it_is():
    boot = qemu.DirectBoot("/b/kernel.elf", "/q/qboot.rom")
    argv = qemu.qemu_argv(settings(boot=boot, cmdline='run p "a  b" \'c\''))
    assert argv[argv.index("-bios"):argv.index("-drive")] == [
        "-bios", "/q/qboot.rom", "-kernel", "/b/kernel.elf",
        "-append", 'run p "a  b" \'c\'']
    assert "-boot" not in argv
    seabios = qemu.qemu_argv(settings(boot=qemu.DirectBoot("/b/k")))
    assert "-bios" not in seabios and "-kernel" in seabios


def test_direct_path_limits_are_named():
    boot = qemu.DirectBoot("/b/k")
    boot.check_cmdline("x" * qemu.DIRECT_CMDLINE_MAX)
    with pytest.raises(qemu.BootUnfit, match="1024 bytes; booted directly "
                       r"\(-append\) the kernel keeps at most 1023"):
        boot.check_cmdline("x" * 1024)
    with pytest.raises(qemu.BootUnfit, match="NUL"):
        boot.check_cmdline("run p\0")
    images = payload.Images("/r/p.img", None, "y" * 2000, None)
    with pytest.raises(qemu.BootUnfit, match="at most 1023"):
        qemu.settings_for(boot, images, "/r/c", "/r/l")


def test_boot_path_choices(tmp_path, monkeypatch):
    rom = tmp_path / "share" / "qemu" / "qboot.rom"
    rom.parent.mkdir(parents=True)
    rom.write_bytes(b"")
    monkeypatch.setattr(qemu, "firmware_dirs", lambda binary: [str(rom.parent)])
    assert qemu.boot_path("direct", "i.iso", "k.elf") == \
        qemu.DirectBoot("k.elf", str(rom))
    assert qemu.boot_path("direct", "i.iso", "k.elf", "seabios") == \
        qemu.DirectBoot("k.elf")
    assert qemu.boot_path("iso", "i.iso", "k.elf") == qemu.IsoBoot("i.iso")
    with pytest.raises(qemu.BootUnfit, match="qboot cannot boot the ISO"):
        qemu.boot_path("iso", "i.iso", "k.elf", "qboot")
    with pytest.raises(qemu.BootUnfit, match="unknown boot path 'cd'"):
        qemu.boot_path("cd", "i.iso", "k.elf")
    with pytest.raises(qemu.BootUnfit, match="unknown firmware 'ovmf'"):
        qemu.boot_path("direct", "i.iso", "k.elf", "ovmf")


def test_a_missing_qboot_falls_back_with_a_note_or_is_an_error(
        tmp_path, monkeypatch):
    monkeypatch.setattr(qemu, "firmware_dirs", lambda binary: [str(tmp_path)])
    notes = []
    assert qemu.boot_path("direct", "i.iso", "k.elf",
                          note=notes.append) == qemu.DirectBoot("k.elf")
    assert len(notes) == 1 and "qboot.rom not found in %s" % tmp_path \
        in notes[0] and "SeaBIOS" in notes[0]
    with pytest.raises(qemu.BootUnfit, match="firmware qboot.rom not found"):
        qemu.boot_path("direct", "i.iso", "k.elf", "qboot")


def test_boot_path_from_the_environment(monkeypatch):
    monkeypatch.delenv("FOLIO_BOOT", raising=False)
    assert qemu.boot_via_requested() == "direct"
    monkeypatch.setenv("FOLIO_BOOT", "iso")
    assert qemu.boot_via_requested() == "iso"
    assert qemu.boot_via_requested("direct") == "direct"
    monkeypatch.setenv("FOLIO_FIRMWARE", "seabios")
    assert qemu.firmware_requested() == "seabios"


def test_qemu_finds_its_qboot():
    """QEMU's own firmware folder, as QEMU itself resolves -bios qboot.rom
    (Debian's qemu-system-data installs it)."""
    found = qemu.find_qboot()
    if found is None:
        pytest.skip("this QEMU has no qboot.rom")
    assert os.path.basename(found) == "qboot.rom" and os.path.isfile(found)
