"""The eight bugs of issue 22, each reproduced by calling the harness's
functions directly: every test here failed before its fix."""

import json
import os
from types import SimpleNamespace

import pytest

from harness import fuzz, grading, results
from harness.classify import Kind, classify, diagnose
from harness.expected import compare, parse_expected
from harness.unit.test_classify import CANNED, known, run, want
from harness.unit.test_results import RECORDS, report


def test_1_also_failure_is_placed_where_its_kind_is():
    """`panic as expected, but also kernel log line missing`: the kind is
    the log's, so the place must be the log's too, not the panic's."""
    verdict = classify(want("panic", None, log=["nothing"]), CANNED["panic"],
                       known)
    assert verdict.kind == Kind.LOG
    assert verdict.location == "missing log line: nothing"


@pytest.mark.parametrize("expected, actual, place", [
    ("--verbose\nx\n", ["x"], "missing line: --verbose"),
    ("x\n", ["x", "++y"], "unexpected line: ++y"),
])
def test_2_first_difference_of_lines_that_look_like_diff_headers(
        expected, actual, place):
    result = compare(parse_expected(expected), actual)
    assert not result.matched
    assert result.first_difference == place


def test_3_kernel_test_that_raised_stays_a_kernel_test(tmp_path):
    """An OSError in the runner: the record is the kernel test's, and
    make grade counts it as failed, not as not run."""
    collector = results.Collector()
    collector.add(report("tests/vm/a.toml::vm/a", "failed",
                         message="OSError: [Errno 28] No space left"))
    record, = collector.ordered()
    assert (record.id, record.suite, record.name) == ("vm/a", "vm", "a")
    assert record.kind == "harness"
    assert record.reason == "OSError: [Errno 28] No space left"
    (tmp_path / "vm").mkdir()
    (tmp_path / "vm" / "a.toml").write_text("")
    rules = {"vm": grading.SuiteRubric(10.0)}
    result = grading.grade(rules, str(tmp_path), {record.id: record})
    assert [(t.id, t.status) for t in result.tests] == [("vm/a", "failed")]


def test_4_suite_whose_weights_sum_to_zero(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.toml").write_text("")
    rules = {"a": grading.SuiteRubric(10.0, {}, 0.0)}
    result = grading.grade(rules, str(tmp_path), {})
    assert result.points == 0
    assert [(t.id, t.points, t.max_points) for t in result.tests] == \
        [("a/x", 0, 0)]


def test_5_fuzz_counts_a_leak_that_is_not_the_first_diagnosis(
        tmp_path, monkeypatch, capsys):
    verdict = classify(want(), run(CANNED["mismatch"].console,
                                   CANNED["mismatch"].log.replace(
                                       "accounting: user_frames=0",
                                       "accounting: user_frames=2")), known)
    assert verdict.reason.startswith("output mismatch")
    monkeypatch.setattr(fuzz, "REPO", str(tmp_path))
    monkeypatch.setattr(fuzz, "write_repeat_case",
                        lambda directory, name: os.path.join(directory, name))
    monkeypatch.setattr(fuzz, "run_all", lambda cfg, paths, jobs: (
        [(verdict, 1.0)], 1.0))
    assert fuzz.run_repeat(None, 1, 1) == 1
    assert "1 failed (1 with an accounting line" in capsys.readouterr().out


def test_6_qemu_killed_by_a_signal_is_no_debug_exit_write():
    diag = diagnose(want(), run("", "", status=-9), known)[0]
    assert diag.kind == Kind.QEMU_FAILED
    assert diag.reason.startswith("QEMU failed: exit status -9 (killed by "
                                  "signal 9)")
    assert not any("debug-exit" in line for line in diag.details)


def test_7_two_sessions_writing_results_at_once(tmp_path, monkeypatch):
    """A second session writes results.json while the first is between
    writing its temporary file and renaming it."""
    path = str(tmp_path / "results.json")
    real = os.replace

    def replace(src, dst):
        monkeypatch.setattr(os, "replace", real)
        results.write_json(path, RECORDS[1:2])
        real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    results.write_json(path, RECORDS)
    with open(path) as src:
        assert sorted(json.load(src)["tests"]) == sorted(r.id for r in RECORDS)
    assert os.listdir(tmp_path) == ["results.json"]


def test_8_session_without_records_replaces_the_last_results(
        tmp_path, monkeypatch):
    from harness import conftest
    monkeypatch.setattr(conftest, "RESULTS_DIR", str(tmp_path))
    results.write_json(str(tmp_path / "results.json"), RECORDS)
    conftest._Results().pytest_sessionfinish(SimpleNamespace())
    with open(tmp_path / "results.json") as src:
        data = json.load(src)
    assert (data["tests"], data["totals"]) == ({}, {})

