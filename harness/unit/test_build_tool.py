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
