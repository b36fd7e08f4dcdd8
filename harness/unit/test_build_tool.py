"""Unit tests of `make run`'s reading of the console (images/build
--check-exit), without QEMU."""

import importlib.machinery
import importlib.util
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def load_build_tool():
    """images/build as a module (it is a script without .py)."""
    path = os.path.join(REPO, "images", "build")
    loader = importlib.machinery.SourceFileLoader("images_build", path)
    spec = importlib.util.spec_from_loader("images_build", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


build = load_build_tool()

FRAME = """Folio 0.1 x86-64 kernel booting
wait-twice: exit(9)
Executing 'wait-twice':
child: exit(5)
wait-twice: exit(%s)
Execution of 'wait-twice' complete.
wait-twice: exit(7)
Powering off...
"""


def test_first_exit_status_reads_the_frame_only():
    assert build.first_exit_status(FRAME % "0", "wait-twice") == 0
    assert build.first_exit_status(FRAME % "-1", "wait-twice") == -1
    assert build.first_exit_status(FRAME % "0", "child-simple") is None


def test_first_exit_status_of_a_long_name():
    name = "a" * 40
    console = "Executing 'x':\n%s: exit(3)\nExecution of 'x' complete.\n" \
        % name[:31]
    assert build.first_exit_status(console, name) == 3


def test_check_exit():
    assert build.check_exit(0, FRAME % "0", "run wait-twice") == 0
    assert build.check_exit(0, FRAME % "2", "run wait-twice") == \
        build.EXIT_PROGRAM_FAILED
    assert build.check_exit(35, FRAME % "0", "run wait-twice") == 35
    assert build.check_exit(0, "", "selftest heap") == 0


def usage_error(capsys, *argv):
    """The message of the usage error images/build gives for ARGV."""
    try:
        build.parse_args(["--out", "/tmp/none"] + list(argv))
    except SystemExit as end:
        assert end.code == 2
        return capsys.readouterr().err.splitlines()[-1]
    raise AssertionError("no usage error for %s" % (argv,))


def test_options_a_boot_path_does_not_take_are_usage_errors(capsys):
    assert "qboot cannot boot the ISO" in usage_error(
        capsys, "--via", "iso", "--firmware", "qboot")
    assert "--iso applies only with --via iso" in usage_error(
        capsys, "--via", "direct", "--iso", "x.iso")
    assert "--kernel applies only with --via direct" in usage_error(
        capsys, "--via", "iso", "--kernel", "k.elf")


def test_the_direct_path_is_the_default_and_the_environment_picks(
        monkeypatch):
    monkeypatch.delenv("FOLIO_BOOT", raising=False)
    args = build.parse_args(["--out", "/tmp/none", "--firmware", "seabios"])
    assert args.boot_path == build.qemu.DirectBoot(
        os.path.join(REPO, "build", "kernel.elf"))
    monkeypatch.setenv("FOLIO_BOOT", "iso")
    args = build.parse_args(["--out", "/tmp/none"])
    assert args.boot_path == build.qemu.IsoBoot(
        os.path.join(REPO, "build", "folio.iso"))
