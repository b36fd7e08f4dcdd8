"""The Gradescope bundle (`make autograder`) run the way Gradescope runs
it, in a fake /autograder laid out in a temporary folder
(FOLIO_AUTOGRADER_ROOT): the zip unpacked in source/ (modes and times
kept, as unzip does), setup.sh run there, run_autograder copied to the
root and run on a submission in submission/, results read from
results/results.json.

To stay within make check's time, source/ is set up once per session
and shared by the three cases (each has its own root, whose source is a
link to it); it gets a small rubric of three tests (what course staff
would edit there too) instead of the whole suite; its build/ starts as
a copy of the session's build, so that setup.sh's make finds it up to
date, and each submission's build recompiles only what its mm/ changes
(docs/harness.md, "Grading a course")."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from harness.submission import seed_build
from harness.tools.support import REPO, make_env, run_make

# Three tests: one the planted bug cannot touch, one of the VM suite it
# cannot touch either (the 64 KiB array lies above rsp), and one it must
# fail (a push that faults 8 bytes below rsp).
RUBRIC = """\
ungraded = ["cow", "filesys", "fuzz", "harness", "io", "kernel", "pio", "security"]
[submission]
paths = ["mm/"]
[suite.userprog]
points = 10
tests = ["args-single"]
[suite.vm]
points = 20
tests = ["vm-stack-obj", "vm-stack-push"]
"""
TESTS = ["userprog/args-single", "vm/vm-stack-obj", "vm/vm-stack-push"]
# The planted VM bug: the stack may grow only to rsp, so the push of a
# call or of `push` at a page boundary kills the process.
GROWTH_RULE = "addr + 8 >= rsp;"
PLANTED_BUG = "addr >= rsp;"
PUSH_LINE = "(vm-stack-push) push and pop there with rsp at the boundary work"


def unpack(bundle, dest):
    """Unpack the zip BUNDLE into DEST as unzip does: with each file's
    mode and modification time."""
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            path = archive.extract(info, dest)
            mode = info.external_attr >> 16
            if mode:
                os.chmod(path, mode & 0o7777)
            stamp = time.mktime(info.date_time + (0, 0, -1))
            os.utime(path, (stamp, stamp))


@pytest.fixture(scope="session")
def autograder_source(tmp_path_factory):
    """The bundle unpacked and set up once per session (the workers of
    `-n` take turns on a lock and share it; run_autograder only reads
    it): returns its folder.  setup.sh runs with the environment of
    every run, so its make finds the copied build up to date."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent                  # the session's, not the worker's
    shared = base / "autograder"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "ready").exists():
            _set_up(shared)
            (shared / "ready").write_text("")
    return shared / "source"


def _set_up(shared):
    """Build the bundle with make autograder, unpack it in SHARED/source,
    give it the small rubric and the session's build, run setup.sh."""
    bundle = shared / "autograder.zip"
    done = run_make(["autograder", "AUTOGRADER=%s" % bundle], 120)
    assert done.returncode == 0, done.stdout.decode()
    unpack(bundle, shared / "source")
    (shared / "source" / "harness" / "rubric.toml").write_text(RUBRIC)
    seed_build(os.path.join(REPO, "build"), str(shared / "source" / "build"))
    setup = subprocess.run(["sh", str(shared / "source" / "setup.sh")],
                           env=_env(shared), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=600)
    assert setup.returncode == 0, setup.stdout.decode()


def _env(root, timeout_factor=1):
    """The environment of setup.sh and run_autograder in ROOT."""
    return make_env() | {"FOLIO_AUTOGRADER_ROOT": str(root),
                         "FOLIO_TIMEOUT_FACTOR": str(timeout_factor),
                         "PYTHON": sys.executable}


@pytest.fixture
def autograder(folio, tmp_path, autograder_source, passed_removal):
    """A fake /autograder in TMP_PATH/root whose source/ is the session's;
    returns a function that grades a submission folder (filled by the
    caller's function from a copy of mm/) and returns (results.json's
    object, run_autograder's output, the grading folder)."""
    root = tmp_path / "root"
    root.mkdir()
    passed_removal.append(root)          # two copies of the tree, 40 MB
    (root / "source").symlink_to(autograder_source)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")

    def run(change):
        shutil.copytree(os.path.join(REPO, "mm"), root / "submission" / "mm")
        change(root / "submission")
        # One test at a time: make check already runs tests side by side.
        done = subprocess.run(
            [str(root / "run_autograder"), "--jobs", "1"],
            env=_env(root, folio.timeout_factor), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=900 * folio.timeout_factor)
        out = done.stdout.decode("utf-8", "replace")
        assert done.returncode == 0, out
        with open(root / "results" / "results.json") as src:
            return json.load(src), out, root / "grading"
    return run


def check_shape(data):
    """Assert that DATA has the fields of Gradescope's results.json that
    the bundle promises, with their types."""
    assert isinstance(data["score"], float)
    assert isinstance(data["execution_time"], int)
    assert isinstance(data["output"], str)
    assert data["visibility"] in ("visible", "hidden", "after_due_date",
                                  "after_published")
    assert [t["name"] for t in data["tests"]] == TESTS
    assert [t["number"] for t in data["tests"]] == ["1.1", "2.1", "2.2"]
    for test in data["tests"]:
        assert set(test) == {"name", "number", "score", "max_score",
                             "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
        assert 0 <= test["score"] <= test["max_score"]
        assert isinstance(test["output"], str)
    assert [t["max_score"] for t in data["tests"]] == [10, 10, 10]


def by_name(data):
    return {t["name"]: t for t in data["tests"]}


def test_the_trees_own_vm_layer_gets_full_marks(autograder):
    data, out, grading = autograder(lambda sub: None)
    check_shape(data)
    assert data["score"] == 30, out
    assert all(t["status"] == "passed" for t in data["tests"]), out
    text = (grading / "grade").read_text()
    assert text.startswith("TOTAL: 100% (30 of 30 points)")
    for test in TESTS:
        assert "  PASS %s " % test in text
    assert json.loads((grading / "grade.json").read_text())["passed"] == \
        TESTS


def test_a_planted_vm_bug_fails_the_tests_it_breaks(autograder):
    def plant(sub):
        page = sub / "mm" / "page.c"
        source = page.read_text()
        assert source.count(GROWTH_RULE) == 1
        page.write_text(source.replace(GROWTH_RULE, PLANTED_BUG))
        # It also "fixes" the expected output to its own: ignored.
        expected = sub / "harness" / "tests" / "vm" / "vm-stack-push.expected"
        expected.parent.mkdir(parents=True)
        expected.write_text("(vm-stack-push) begin\nvm-stack-push: exit(-1)\n")
    data, out, grading = autograder(plant)
    check_shape(data)
    tests = by_name(data)
    assert data["score"] == 20, out
    assert tests["userprog/args-single"]["status"] == "passed"
    assert tests["vm/vm-stack-obj"]["status"] == "passed"
    push = tests["vm/vm-stack-push"]
    assert (push["status"], push["score"]) == ("failed", 0)
    assert push["output"].startswith("kind: mismatch\nplace: missing line: "
                                     + PUSH_LINE), push["output"]
    assert "\n-" + PUSH_LINE in push["output"]       # the diff
    assert "harness/tests/vm/vm-stack-push.expected" in data["output"]
    assert "ignored" in data["output"]
    text = (grading / "grade").read_text()
    assert "  FAIL vm/vm-stack-push " in text
    assert "  subtotal: 1 of 2 tests passed, 10 of 20 points" in text


def test_a_submission_that_does_not_compile_scores_0(autograder):
    def break_it(sub):
        page = sub / "mm" / "page.c"
        source = page.read_text()
        page.write_text(source.replace(GROWTH_RULE, "addr + 8 >= rsp_typo;"))
    data, out, grading = autograder(break_it)
    check_shape(data)
    assert data["score"] == 0
    assert "does not build" in data["output"]
    assert "mm/page.c" in data["output"] and "rsp_typo" in data["output"] \
        and "error:" in data["output"], data["output"]
    assert all(t["status"] == "failed" and "does not build" in t["output"]
               for t in data["tests"])
