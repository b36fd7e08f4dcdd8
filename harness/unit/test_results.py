"""Unit tests of the session's results (harness/results.py): records,
results.json, JUnit XML and the closing summary."""

import dataclasses
import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from harness import results


def kernel(suite, name, kind=None, location=None, seconds=1.0):
    """A kernel test's record (as case_record makes them)."""
    return results.Record(
        id="%s/%s" % (suite, name), suite=suite, name=name,
        status=results.Status.FAILED if kind else results.Status.PASSED,
        kind=kind, kinds=[kind] if kind else ["ok"],
        reason="%s: why" % kind if kind else "clean",
        location=location, seconds=seconds,
        accounting={"user_frames": 0},
        message="FAIL: %s: why\nlong report" % kind if kind else None)


def report(nodeid, outcome="passed", when="call", props=(), message=None,
           text=None):
    """A stand-in for a pytest TestReport (TEXT: its whole report)."""
    crash = SimpleNamespace(message=message) if message else None
    return SimpleNamespace(
        nodeid=nodeid, outcome=outcome, when=when, duration=0.25,
        failed=outcome == "failed", skipped=outcome == "skipped",
        passed=outcome == "passed", user_properties=list(props),
        longrepr=text or (SimpleNamespace(reprcrash=crash) if crash
                          else None),
        longreprtext=text or "traceback\n" + (message or ""))


RECORDS = [kernel("vm", "a", "panic", "kernel/x.c:3 in f()"),
           kernel("vm", "b"),
           kernel("userprog", "c", "panic", "kernel/x.c:3 in f()"),
           kernel("userprog", "d", "mismatch", "missing line: x")]


def test_collector_takes_records_from_user_properties_and_units():
    collector = results.Collector()
    collector.add(report("tests/vm/a.toml::vm/a", "failed",
                         props=[(results.RECORD, RECORDS[0].to_json())],
                         text="FAIL: \x1b[31m-x\x1b[0m"))
    collector.add(report("unit/test_x.py::test_y", "failed",
                         message="AssertionError: no\nmore"))
    collector.add(report("unit/test_x.py::test_z", "passed", when="setup"))
    collector.add(report("unit/test_x.py::test_z"))
    collector.add(report("unit/test_x.py::test_z", "failed", when="teardown",
                         message="OSError: teardown"))
    by_id = {r.id: r for r in collector.ordered()}
    assert by_id["vm/a"].seconds == 0.25
    assert by_id["vm/a"].message == "FAIL: -x"         # the report, plain
    assert by_id["vm/a"].reason == "panic: why"
    assert by_id["unit/test_x.py::test_y"].reason == "AssertionError: no"
    assert by_id["unit/test_x.py::test_y"].kind == "unit"
    assert by_id["unit/test_x.py::test_z"].status == "error"
    assert [r.id for r in collector.ordered()][0] == "vm/a"


def test_records_round_trip_through_json(tmp_path):
    records = RECORDS + [results.unit_record(report(
        "unit/test_x.py::test_y", "failed", message="AssertionError: no"))]
    for record in records:
        assert results.Record.from_json(
            json.loads(json.dumps(record.to_json()))) == record
    results.write_json(str(tmp_path / "results.json"), records)
    back = results.load_json(str(tmp_path / "results.json"))
    assert back == {r.id: dataclasses.replace(r, message=None)
                    for r in records}       # results.json omits the report


def test_json_and_junit_agree_on_every_status(tmp_path):
    records = RECORDS + [results.unit_record(report(
        "unit/test_x.py::test_y", "failed", message="AssertionError: no"))]
    results.write_json(str(tmp_path / "results.json"), records)
    results.write_junit(str(tmp_path / "junit.xml"), records)
    tests = json.loads((tmp_path / "results.json").read_text())["tests"]
    assert tests["vm/a"]["kind"] == "panic" and "message" not in tests["vm/a"]
    assert tests["vm/a"]["module"] is None
    assert tests["unit/test_x.py::test_y"]["exit_status"] is None
    root = ET.parse(str(tmp_path / "junit.xml")).getroot()
    assert [s.get("name") for s in root] == ["vm", "userprog", "unit"]
    seen = {}
    for suite in root:
        for case in suite:
            failure = case.find("failure")
            seen[case.get("classname"), case.get("name")] = \
                "failed" if failure is not None else "passed"
            if failure is not None:
                kind = case.find("properties/property[@name='kind']")
                assert failure.get("type") == kind.get("value")
    assert seen[("folio.vm", "a")] == tests["vm/a"]["status"] == "failed"
    assert seen[("folio.vm", "b")] == tests["vm/b"]["status"] == "passed"
    assert seen[("unit.test_x", "test_y")] == "failed"
    assert len(seen) == len(tests)
    vm = root.find("testsuite[@name='vm']")
    assert (vm.get("tests"), vm.get("failures")) == ("2", "1")
    failure = root.find(".//testcase[@name='d']/failure")
    assert failure.get("message") == "mismatch: why"
    assert failure.text == "FAIL: mismatch: why\nlong report"


def test_summary_groups_by_kind_and_place_before_the_tests():
    lines = results.summary_lines(RECORDS)
    assert lines[:3] == ["failures by kind and place:",
                         "     2 x panic     kernel/x.c:3 in f()",
                         "     1 x mismatch  missing line: x"]
    assert lines[4:] == ["failed tests:", "FAILED vm/a: panic: why",
                         "FAILED userprog/c: panic: why",
                         "FAILED userprog/d: mismatch: why"]
    assert results.summary_lines([kernel("vm", "b")]) == []


def test_a_failure_record_carries_a_bounded_diff():
    from harness.classify import Diagnosis, Kind
    short = "--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+b"
    found = [Diagnosis(Kind.LEAK, "leak"),
             Diagnosis(Kind.MISMATCH, "mismatch", diff=short)]
    assert results.bounded_diff(found, "r.result") == short
    assert results.bounded_diff(found[:1], "r.result") is None
    long = "\n".join("+line %d %s" % (i, "x" * 300) for i in range(100))
    cut = results.bounded_diff([Diagnosis(Kind.MISMATCH, "m", diff=long)],
                               "s/t.result").splitlines()
    assert len(cut) == results.DIFF_LINES + 1
    assert cut[-1] == "... 20 more lines in s/t.result"
    assert max(len(line) for line in cut) == results.DIFF_LINE_CHARS + 3
    record = dataclasses.replace(RECORDS[3], diff=short)
    assert results.Record.from_json(record.to_json()) == record


def _config(args, invoked, **options):
    """A stand-in for a pytest Config run in directory INVOKED."""
    return SimpleNamespace(
        args=args, invocation_params=SimpleNamespace(dir=invoked),
        getoption=lambda name, default=None: options.get(name, default))


def test_partial_runs_are_told_apart_from_full_ones():
    from harness import conftest
    repo = conftest.REPO
    assert conftest.partial_reasons(_config(["harness"], invoked=repo)) == []
    assert conftest.partial_reasons(_config(["."], invoked=repo + "/harness")) == []
    assert conftest.partial_reasons(_config(["unit", "tools", "tests"],
                                            repo + "/harness")) == []
    assert conftest.partial_reasons(_config(
        ["harness"], invoked=repo, keyword="args")) == ["-k args"]
    assert conftest.partial_reasons(_config(
        ["harness/tests/userprog/args-single.toml"], invoked=repo,
        maxfail=1)) == ["-x/--maxfail",
                        "harness/tests/userprog/args-single.toml"]
    assert conftest.partial_reasons(_config(
        ["harness::x"], invoked=repo)) == ["harness::x"]
    assert conftest.partial_reasons(_config(
        ["unit", "tests"], invoked=repo + "/harness")) == ["unit", "tests"]


def test_a_partial_run_writes_beside_the_full_runs_results(
        tmp_path, monkeypatch):
    from harness import conftest
    monkeypatch.setattr(conftest, "RESULTS_DIR", str(tmp_path))
    monkeypatch.setattr(conftest, "PARTIAL_DIR", str(tmp_path / "partial"))
    results.write_json(str(tmp_path / "results.json"), RECORDS)
    conftest._Results(["-k args"]).pytest_sessionfinish(SimpleNamespace())
    with open(tmp_path / "results.json") as src:
        assert len(json.load(src)["tests"]) == len(RECORDS)   # untouched
    with open(tmp_path / "partial" / "results.json") as src:
        assert json.load(src)["tests"] == {}
    assert (tmp_path / "partial" / "junit.xml").exists()
