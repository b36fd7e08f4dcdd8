"""Three shards of a small selection, run locally one after another and
merged by harness/merge, grade exactly as the same selection run
unsharded (docs/harness.md, "Grading a course")."""

import json
import os
import subprocess
import sys

from harness.tools.support import REPO, make_env

# Tests of two graded suites, so that both the points and the tests that
# did not run (the rest of those suites) are compared; none of the ISO
# group, so that each of the four sessions boots them directly.
SELECTION = ["harness/tests/userprog/args-none.toml",
             "harness/tests/userprog/args-single.toml",
             "harness/tests/userprog/exit.toml",
             "harness/tests/vm/vm-lazy-bss.toml"]
SHARDS = 3


def run_session(folio, out, *options):
    """Run the harness on SELECTION with OPTIONS, its result files in
    OUT; return the ids of its results.json.  (Options of the harness
    take their values after `=`: pytest reads a word after one as a path
    before it knows the harness's options.)"""
    env = make_env()
    for name in ("CI_NODE_INDEX", "CI_NODE_TOTAL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--no-make", "-q", "-p",
         "no:cacheprovider", "--results-dir=" + out,
         "--timeout-factor=%g" % folio.timeout_factor] + list(options)
        + SELECTION, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=600 * folio.timeout_factor)
    assert done.returncode in (0, 1), done.stdout
    with open(os.path.join(out, "results.json")) as src:
        return set(json.load(src)["tests"])


def grade(results_json, out):
    """Return grade.json's object for RESULTS_JSON (harness/grade)."""
    done = subprocess.run(
        [sys.executable, os.path.join(REPO, "harness", "grade"),
         "--results", results_json, "--out", out],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert done.returncode == 0, done.stdout
    with open(out) as src:
        return json.load(src)


def test_three_shards_merged_grade_as_one_run(folio, tmp_path):
    whole = run_session(folio, str(tmp_path / "whole"))
    assert len(whole) == len(SELECTION)
    parts = [str(tmp_path / ("shard-%d" % k)) for k in range(1, SHARDS + 1)]
    shards = [run_session(folio, part, "--shard=%d/%d" % (k, SHARDS))
              for k, part in enumerate(parts, 1)]
    assert sorted(len(s) for s in shards) == [1, 1, 2]
    assert set().union(*shards) == whole
    merged = str(tmp_path / "merged")
    done = subprocess.run(
        [sys.executable, os.path.join(REPO, "harness", "merge"), merged]
        + parts, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert done.returncode == 0, done.stdout
    expected = grade(str(tmp_path / "whole" / "results.json"),
                     str(tmp_path / "whole.grade.json"))
    assert grade(os.path.join(merged, "results.json"),
                 str(tmp_path / "merged.grade.json")) == expected
    assert expected["points"] > 0
