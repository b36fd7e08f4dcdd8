"""Unit tests of the run machinery that need no QEMU: symbolizer output
parsing, the watchdog and serial streaming (with `sh` standing in for
QEMU), result paths and fetching files back from a payload image."""

import os
import sys

import pytest

from harness import report, runner
from harness.cases import load_case
from harness.classify import Diagnosis, Kind, Verdict
from harness.run import Fetched, Run
from harness.symbolize import (SymbolizeError, format_backtrace,
                               parse_addr2line, symbolize)
from images import payload, qemu
from images.foliofs import FolioImage, write_payload

ADDR2LINE_OUTPUT = """0x00000000004010ff
helper
/repo/kernel/a.c:3
deliberate_panic
/repo/kernel/a.c:9
0x0000000000401119
??
??:0
0x0000000000401200
pf_read.constprop.0.isra.0
/repo/kernel/b.c:7 (discriminator 2)
"""


def test_parse_addr2line_groups_inlined_frames():
    groups = parse_addr2line(ADDR2LINE_OUTPUT, "/repo")
    assert [[(l.function, l.place) for l in g] for g in groups] == [
        [("helper", "kernel/a.c:3"), ("deliberate_panic", "kernel/a.c:9")],
        [("??", "??:0")], [("pf_read", "kernel/b.c:7")]]


def test_parse_addr2line_places_a_header_by_its_path():
    """A function inlined from a header the compiler found through -I.
    (mm/layout.h's ptov) is placed at mm/layout.h, not ./mm/layout.h."""
    groups = parse_addr2line("0x0000000000401000\nptov\n/repo/./mm/layout.h:33"
                             "\nkeep_cmdline\n/repo/kernel/bootinfo.c:47\n",
                             "/repo")
    assert [(l.function, l.place) for l in groups[0]] == [
        ("ptov", "mm/layout.h:33"), ("keep_cmdline", "kernel/bootinfo.c:47")]


def test_format_backtrace():
    from harness.symbolize import SymbolizedAddress
    groups = parse_addr2line(ADDR2LINE_OUTPUT, "/repo")
    lines = format_backtrace([SymbolizedAddress("0x401100", groups[0]),
                              SymbolizedAddress("0x40111a", groups[1])])
    assert lines == ["0x401100: helper at kernel/a.c:3",
                     "          (inlined by) deliberate_panic at kernel/a.c:9",
                     "0x40111a: ?? at ??:0"]


def test_symbolize_without_elf():
    with pytest.raises(SymbolizeError, match="does not exist"):
        symbolize("/nonexistent/kernel.elf", ["0x10"])
    assert symbolize("/nonexistent/kernel.elf", []) == []


@pytest.fixture
def paths(tmp_path):
    """Result paths for test `s/t` under a temporary results directory."""
    p = runner.ResultPaths(str(tmp_path), "s", "t")
    p.reset()
    return p


def test_run_with_exit_status_and_streaming(paths):
    seen = []
    script = ("printf 'Folio\\nExecuting' > %s; printf ' x\\n' >> %s; "
              "printf 'log\\n' > %s; echo oops >&2; exit 33"
              % (paths.output, paths.output, paths.log))
    run = runner.run_qemu(["sh", "-c", script], paths, 5, seen.append, "s/t")
    assert (run.end.status, run.end.timed_out) == (33, False)
    assert run.console == "Folio\nExecuting x\n"
    assert run.log == "log\n"
    assert run.stderr == "oops\n"
    assert "[s/t COM1] Executing x" in seen


def test_watchdog_kills_and_keeps_output(paths):
    script = "printf 'so far\\n' > %s; exec sleep 30" % paths.output
    run = runner.run_qemu(["sh", "-c", script], paths, 0.2)
    assert run.end.timed_out and run.end.status is None
    assert run.console == "so far\n"
    assert run.end.seconds < 5


def test_missing_binary(paths):
    run = runner.run_qemu(["/nonexistent/qemu"], paths, 5)
    assert run.end.start_error.startswith("cannot run /nonexistent/qemu")


def test_reset_removes_old_results_only(paths, tmp_path):
    for name in ("t.result", "t.fetched.out", "t.notes", "tt.result"):
        (tmp_path / "s" / name).write_text("old")
    paths.reset()
    left = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert left == ["t.notes", "t.work", "tt.result"]


def test_fetch_files(paths, tmp_path):
    suite = tmp_path / "tests" / "s"
    suite.mkdir(parents=True)
    (suite / "t.toml").write_text(
        'selftest = "x"\nexpect = "panic"\n'
        'fetch = { "out.txt" = "good", "bad.txt" = "good", "gone" = "good" }\n')
    (suite / "good").write_bytes(b"line\n")
    case = load_case(str(suite / "t.toml"))
    image = tmp_path / "p.img"
    write_payload(image, "x", {"out.txt": b"line\n", "bad.txt": b"lime\n"})
    fetched = runner.fetch_files(case, str(image), paths)
    assert fetched["out.txt"] == Fetched(b"line\n")
    assert fetched["bad.txt"] == Fetched(b"lime\n")
    assert fetched["gone"].data is None
    assert "no file named 'gone'" in fetched["gone"].error
    with open(paths.fetched("bad.txt"), "rb") as f:
        assert f.read() == b"lime\n"
    assert not os.path.exists(paths.fetched("gone"))


def test_result_files_written_for_setup_failure(paths):
    verdict = Verdict(False, "cannot run the test: x",
                      [Diagnosis(Kind.SETUP, "x")], Kind.SETUP)
    report.write_results(paths, None, Run("", ""), verdict)
    with open(paths.result) as f:
        assert f.readline() == "FAIL: cannot run the test: x\n"
    for suffix in runner.ResultPaths.SUFFIXES:
        with open("%s.%s" % (paths.base, suffix)):
            pass


def test_stats_file_has_counters():
    run = Run("", "accounting: user_frames=0 swap_slots=0 heap_bytes=1 "
                        "kernel_pages=2 page_faults=9 evictions=1\n")
    assert report.stats_text(run) == "page_faults=9\nevictions=1\n"


def test_python_is_new_enough():
    assert sys.version_info >= (3, 10)      # docs/harness.md, "Python"


def test_setup_failure_keeps_first_line_as_reason():
    verdict = runner.setup_failure("make failed; last lines:\nerror: boom")
    assert verdict.reason == "make failed; last lines:"
    assert verdict.diagnosis.details == ["error: boom"]
    assert not verdict.passed


def test_blkdebug_config_names_file_sector(paths, tmp_path):
    suite = tmp_path / "tests" / "s"
    suite.mkdir(parents=True)
    (suite / "t.toml").write_text(
        'selftest = "x"\nexpect = "panic"\nswap_mb = 1\nio_errors = [\n'
        '  { disk = "payload", op = "read", file = "f", offset = 4700 },\n'
        '  { disk = "swap", op = "write", once = true }]\n')
    case = load_case(str(suite / "t.toml"))
    os.makedirs(paths.work, exist_ok=True)
    image = tmp_path / "p.img"
    write_payload(image, "x", {"f": bytes(9000)})
    with FolioImage(image) as img:
        block = img.block_of("f", 4096)
    images = payload.Images(payload=str(image), swap=None, cmdline="x",
                            superblock=None)
    configs = runner.write_blkdebug(case, images, paths.work)
    with open(configs["payload"]) as f:
        text = f.read()
    assert 'event = "read_aio"\niotype = "read"\n' in text
    assert 'sector = "%d"' % (block * 8 + 1) in text and 'once = "off"' in text
    with open(configs["swap"]) as f:
        text = f.read()
    assert 'iotype = "write"' in text and 'once = "on"' in text
    assert "sector" not in text


def test_qmp_socket_path_fits_a_unix_socket(tmp_path):
    short = runner.ResultPaths(str(tmp_path), "s", "t")
    assert short.qmp == short.work + "/qmp.sock"
    deep = runner.ResultPaths(str(tmp_path / ("d" * 120)), "s", "t")
    assert len(deep.qmp) <= qemu.SOCKET_PATH_MAX
    assert deep.qmp.endswith(".qmp") and deep.qmp != \
        runner.ResultPaths(str(tmp_path / ("e" * 120)), "s", "t").qmp


def test_machine_for_builds_the_disks_and_injects_errors(tmp_path):
    repo = tmp_path / "repo"
    (repo / "userland" / "data").mkdir(parents=True)
    (repo / "userland" / "data" / "f").write_bytes(bytes(9000))
    suite = tmp_path / "tests" / "s"
    suite.mkdir(parents=True)
    (suite / "t.toml").write_text(
        'selftest = "x"\nexpect = "panic"\nfiles = ["f"]\nswap_mb = 1\n'
        'io_errors = [{ disk = "payload", op = "read", file = "f" }]\n')
    case = load_case(str(suite / "t.toml"))
    work = tmp_path / "work"
    (repo / "build").mkdir()
    (repo / "build" / "folio.iso").write_bytes(b"")
    settings = runner.machine_for(case, runner.Config(repo=str(repo),
                                                      via="iso"),
                                  str(work), "/r/c.txt", "/r/l.txt",
                                  "/r/qmp.sock")
    assert settings.blkdebug == {"payload": str(work / "payload.blkdebug")}
    assert (settings.payload, settings.swap) == (str(work / "payload.img"),
                                                 str(work / "swap.img"))
    with FolioImage(settings.payload) as img:
        assert img.read("f") == bytes(9000)
    argv = qemu.qemu_argv(settings)
    assert argv[-4:-2] == ["-qmp", "unix:/r/qmp.sock,server=on,wait=off"]
    assert any("file.config=%s" % settings.blkdebug["payload"] in word
               for word in argv)


def test_run_case_checks_the_iso_before_building_disks(tmp_path):
    suite = tmp_path / "tests" / "s"
    suite.mkdir(parents=True)
    (suite / "t.toml").write_text('run = "missing-program"\n')
    (suite / "t.expected").write_text("")
    cfg = runner.Config(repo=str(tmp_path / "repo"), via="iso")
    result = runner.run_case(str(suite / "t.toml"), cfg)
    assert result.verdict.reason == ("cannot run the test: build/folio.iso "
                                     "does not exist (make did not build it)")
    assert os.listdir(result.paths.work) == []
    with open(result.paths.result) as f:
        assert f.readline() == "FAIL: %s\n" % result.verdict.reason
    assert result.failure_message().startswith("FAIL: cannot run the test")


def _direct_case(tmp_path, run):
    """A case running RUN, and a repository with a kernel ELF and the
    program; return (case, Config booting directly with SeaBIOS)."""
    repo = tmp_path / "repo"
    (repo / "build" / "userland").mkdir(parents=True)
    (repo / "build" / "kernel.elf").write_bytes(b"")
    (repo / "build" / "userland" / "p").write_bytes(b"x")
    suite = tmp_path / "tests" / "s"
    suite.mkdir(parents=True)
    (suite / "t.toml").write_text('run = "%s"\n' % run)
    (suite / "t.expected").write_text("")
    return (load_case(str(suite / "t.toml")),
            runner.Config(repo=str(repo), firmware="seabios"))


def test_machine_for_boots_directly_with_the_command_line(tmp_path):
    case, cfg = _direct_case(tmp_path, "p a  b")
    settings = runner.machine_for(case, cfg, str(tmp_path / "w"),
                                  "/r/c.txt", "/r/l.txt")
    argv = qemu.qemu_argv(settings)
    at = argv.index("-kernel")
    assert argv[at:at + 4] == ["-kernel", cfg.kernel_elf, "-append", "run p a  b"]
    assert "-boot" not in argv and "-bios" not in argv


def test_the_iso_group_boots_the_iso(tmp_path):
    case, cfg = _direct_case(tmp_path, "p")
    (tmp_path / "repo" / "build" / "folio.iso").write_bytes(b"")
    cfg.iso_group = frozenset(["s/t"])
    argv = qemu.qemu_argv(runner.machine_for(case, cfg, str(tmp_path / "w"),
                                             "/r/c.txt", "/r/l.txt"))
    assert "-kernel" not in argv and argv[argv.index("-boot") + 1] == "d"


def test_run_case_refuses_a_command_line_the_direct_path_cannot_carry(
        tmp_path, monkeypatch):
    case, cfg = _direct_case(tmp_path, "p")
    monkeypatch.setattr(qemu, "DIRECT_CMDLINE_MAX", 4)
    result = runner.run_case(os.path.join(case.directory, "t.toml"), cfg)
    assert result.verdict.reason.startswith(
        "cannot run the test: the kernel command line is 5 bytes; booted "
        "directly (-append) the kernel keeps at most 4")
    assert result.run.end.ending == qemu.Ending.NOT_RUN
