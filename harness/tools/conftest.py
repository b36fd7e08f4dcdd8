"""Fixtures of the tool tests.  They boot QEMU like the kernel tests, so
they take the session's Config (timeout factor, make's outcome) from
harness/conftest.py."""

import fcntl
import os
import shutil

import pytest

from harness.conftest import CONFIG
from harness.tools.support import REPO, run_make

DEBUG_BUILD = os.path.join(REPO, "build", "debug-kernel")
CALL_PASSED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether a tool test's own step passed (passed_removal)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[CALL_PASSED] = report.passed


@pytest.fixture
def passed_removal(request):
    """A list of folders to remove once the test has passed (a failed
    one's stay for its reader): big trees that pytest would otherwise
    remove at the end of a later run, one after the other, after every
    test has finished."""
    folders = []
    yield folders
    if request.node.stash.get(CALL_PASSED, False):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def folio(request):
    """The session's harness Config; fails the test when make failed."""
    cfg = request.config.stash[CONFIG]
    if cfg.make_error:
        pytest.fail(cfg.make_error, pytrace=False)
    return cfg


@pytest.fixture
def debug_kernel(folio):
    """Build the -Og kernel (build/debug-kernel): tests in parallel workers
    take turns on a lock, and make finds it up to date after the first.
    Returns (iso, kernel ELF)."""
    os.makedirs(os.path.join(REPO, "build"), exist_ok=True)
    with open(os.path.join(REPO, "build", "debug-kernel.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run_make(["debug-kernel"], 600)
    if done.returncode != 0:
        pytest.fail("make debug-kernel failed:\n%s"
                    % done.stdout.decode("utf-8", "replace")[-3000:],
                    pytrace=False)
    return (os.path.join(DEBUG_BUILD, "folio.iso"),
            os.path.join(DEBUG_BUILD, "kernel.elf"))
