"""`make run` (images/build --boot --check-exit): FILES= and KOPTS= reach
the disk and the kernel, and the exit status says whether the program
exited with 0 and the kernel powered off cleanly."""

import os
import subprocess
import sys

from harness.tools.support import REPO, run_make

BUILD_TOOL = os.path.join(REPO, "images", "build")


def make_run(folio, tmp_path, *variables):
    done = run_make(["run", "RUN_DIR=%s" % (tmp_path / "run"),
                     "TIMEOUT=%d" % (60 * folio.timeout_factor)]
                    + list(variables), 120 * folio.timeout_factor)
    return done.returncode, done.stdout.decode("utf-8", "replace")


def test_files_and_kernel_options(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=read-normal",
                           "FILES=userland/data/sample.txt",
                           "KOPTS=console=pintos user_pages=64")
    assert status == 0, out
    assert "read-normal: exit(0)" in out
    assert "Boot complete." in out                 # console=pintos reached it
    assert "user_pages=64" in out


def test_a_nonzero_exit_status_fails(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=exit")
    assert status != 0, out
    assert "exit: exit(57)" in out and "exit exited with status 57" in out


def test_a_missing_file_is_a_usage_error(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=read-normal",
                           "FILES=userland/data/no-such-file")
    assert status != 0 and "cannot read userland/data/no-such-file" in out


def boot(folio, tmp_path, *args):
    done = subprocess.run(
        [sys.executable, BUILD_TOOL, "--out", str(tmp_path / "b"),
         "--boot", "--check-exit",
         "--timeout", str(60 * folio.timeout_factor)] + list(args),
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=120 * folio.timeout_factor)
    return done.returncode, done.stdout.decode("utf-8", "replace")


def test_a_panic_fails_with_its_status(folio, tmp_path):
    assert boot(folio, tmp_path, "--cmdline", "selftest panic")[0] == 35


def test_a_program_that_prints_no_exit_line_fails(folio, tmp_path):
    status, out = boot(folio, tmp_path, "--program",
                       os.path.join(REPO, "build", "userland", "halt"),
                       "--cmdline", "run halt")
    assert status == 4, out
    assert "no 'halt: exit(N)' line" in out


def test_a_child_exit_line_is_not_the_first_process(folio, tmp_path):
    # wait-twice's child prints `child: exit(5)` first; the status that
    # counts is wait-twice's own.
    status, out = boot(folio, tmp_path, "--program",
                       os.path.join(REPO, "build", "userland", "wait-twice"),
                       "--cmdline", "run wait-twice")
    assert "child: exit(5)" in out and status == 0, out
