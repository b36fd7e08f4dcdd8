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
    with open(tmp_path / "run" / "kernel.log") as log:
        assert "user_pages=64" in log.read()         # the kernel got it


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


def test_a_hang_ends_at_the_timeout_with_the_cpu_state(folio, tmp_path):
    done = run_make(["run", "RUN_DIR=%s" % (tmp_path / "run"),
                     "PROGRAM=loop-forever",
                     "TIMEOUT=%g" % (2.5 * folio.timeout_factor)],
                    60 * folio.timeout_factor)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode != 0 and "run] Error 124" in out, out
    assert "images/build: timeout: QEMU killed after" in out
    assert "CPU state when the timeout fired (from QEMU's monitor): user " \
        "mode, process 'loop-forever'" in out
    assert ": test_main at userland/tests/loop-forever.c:" in out


def test_make_run_has_a_default_timeout():
    # without TIMEOUT, make run still ends a hang: after RUN_TIMEOUT
    # seconds (docs/images.md), the limit the test above hits
    done = run_make(["-n", "run", "PROGRAM=demo"], 30)
    assert "--timeout 60" in done.stdout.decode(), done.stdout


def test_args_are_quoted_as_in_a_shell(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=args-multiple",
                           "ARGS='a' \"b\"  c")
    assert status == 0, out
    assert "(args-multiple) argc = 4" in out
    assert "(args-multiple) argv[1] = 'a'" in out
    assert "(args-multiple) argv[3] = 'c'" in out
    # the QEMU command is printed once: the one that runs
    commands = [line for line in out.splitlines() if "qemu-system" in line]
    assert len(commands) == 1 and "-serial stdio" in commands[0], out


def test_an_argument_with_a_space_is_refused_with_a_way_out(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=args-multiple",
                           "ARGS=\"a b\" c")
    assert status != 0, out
    assert "the argument 'a b' cannot be passed" in out
    assert "put such text in a file (FILES=...)" in out
    assert "qemu-system" not in out


def test_a_misspelt_kernel_option_is_refused(folio, tmp_path):
    status, out = make_run(folio, tmp_path, "PROGRAM=demo",
                           "KOPTS=user_pagez=32 user_pages=abc")
    assert status != 0 and "run] Error 39" in out, out
    assert "the kernel refused its command line: unknown option " \
        "'user_pagez'; bad value 'abc' for option 'user_pages'" in out
    assert "Executing" not in out               # nothing ran


def test_make_fuzz_passes_args_through(folio):
    done = run_make(["fuzz", "ARGS=--seeds 1 --calls 300 --alloc-seeds 0 "
                     "--repeat 0 --victim-seeds 0 --halt-boots 0 "
                     "--fpu-boots 0"], 300 * folio.timeout_factor)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, out
    assert "fuzz: 300 calls over 1 seeds" in out and "0 findings" in out


def test_make_bench_passes_args_through():
    # a dry run: a real one builds the release kernel and times things
    done = run_make(["-n", "bench", "ARGS=--only fork --repeats '3'"], 30)
    lines = done.stdout.decode().splitlines()
    assert lines[-1].endswith("bench/run.py --build build/release --only "
                              "fork --repeats '3'"), lines
