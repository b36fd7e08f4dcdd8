"""Unit tests of sharding and merging (harness/shard.py, harness/merge)
and of the reference durations (harness/durations.py)."""

import dataclasses
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from harness import durations, results, shard
from harness.cases import Case, CaseId
from harness.unit.test_results import RECORDS, kernel

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_refused(text):
    with pytest.raises(shard.ShardError):
        shard.parse(text)


def test_gitlab_names_the_shard_one_based():
    assert shard.parse(" 2/3") == shard.Shard(2, 3)
    assert shard.from_environment({}) is None
    assert shard.from_environment({"CI_NODE_INDEX": "1",
                                   "CI_NODE_TOTAL": "4"}) == shard.Shard(1, 4)
    with pytest.raises(shard.ShardError, match="CI_NODE_INDEX"):
        shard.from_environment({"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"})


def test_partition_is_greedy_longest_first_with_ties_by_id():
    weights = {"a": 5, "b": 4, "c": 3, "d": 3, "e": 1}
    assert shard.partition(weights, 2) == [["a", "d"], ["b", "c", "e"]]
    # Equal weights: by id, each into the first of the lightest shards.
    assert shard.partition(dict.fromkeys("zyxw", 1.0), 3) == \
        [["w", "z"], ["x"], ["y"]]
    assert shard.partition({"a": 1}, 3) == [["a"], [], []]


def test_every_test_is_in_exactly_one_shard():
    weights = {"t%03d" % i: (i * 37) % 11 + 0.5 for i in range(200)}
    for total in (1, 2, 3, 7):
        shards = [shard.select(weights, shard.Shard(k, total))
                  for k in range(1, total + 1)]
        assert sum(len(s) for s in shards) == len(weights)
        assert set().union(*shards) == set(weights)
        loads = [sum(weights[t] for t in s) for s in shards]
        assert max(loads) - min(loads) <= max(weights.values())


def write_run(directory, records):
    """Write RECORDS as a run's results.json and junit.xml in
    DIRECTORY."""
    os.makedirs(directory, exist_ok=True)
    results.write_json(os.path.join(directory, "results.json"), records)
    results.write_junit(os.path.join(directory, "junit.xml"), records)
    return directory


def test_merge_gives_the_unsharded_run_with_whole_reports(tmp_path):
    first = write_run(str(tmp_path / "1"), RECORDS[:2])
    second = write_run(str(tmp_path / "2"), RECORDS[2:])
    merged = shard.merge([first, os.path.join(second, "results.json")])
    assert merged == results.ordered(RECORDS)
    assert merged[0].message == "FAIL: panic: why\nlong report"


def test_merge_refuses_a_test_of_two_runs(tmp_path):
    first = write_run(str(tmp_path / "1"), RECORDS[:2])
    second = write_run(str(tmp_path / "2"), RECORDS[1:])
    with pytest.raises(shard.ShardError, match="vm/b is in both"):
        shard.merge([first, second])
    with pytest.raises(shard.ShardError, match="none: .*No such file"):
        shard.merge([str(tmp_path / "none")])


def test_merge_command_writes_both_files(tmp_path):
    runs = [write_run(str(tmp_path / str(i)), RECORDS[i:i + 1])
            for i in range(len(RECORDS))]
    out = tmp_path / "merged"
    done = subprocess.run([sys.executable, os.path.join(REPO, "harness",
                                                        "merge"),
                           str(out)] + runs, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "4 tests: 3 failed, 1 passed" in done.stdout
    assert "FAILED userprog/d: mismatch: why" in done.stdout
    with open(out / "results.json") as src:
        assert sorted(json.load(src)["tests"]) == \
            sorted(r.id for r in RECORDS)
    root = ET.parse(out / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("4", "3")


def case(name="x", timeout=60.0):
    return Case(CaseId("s", name), "/nowhere", run="p", timeout=timeout)


def test_watchdog_is_the_reference_times_the_factor_within_bounds():
    refs = durations.Durations({"s/x": 2.0, "s/long": 9.0, "s/capped": 30.0},
                               factor=5, floor=20)
    assert refs.watchdog(case("x")) == 20           # the floor
    assert refs.watchdog(case("long")) == 45        # 5 x 9 s
    assert refs.watchdog(case("capped", timeout=100)) == 100   # its own
    assert refs.watchdog(case("x", timeout=5)) == 5            # its own
    assert refs.watchdog(case("new", timeout=60)) == 60    # no reference


def test_config_multiplies_the_watchdog_by_the_timeout_factor():
    from harness.runner import Config
    cfg = Config(repo=REPO, timeout_factor=3,
                 durations=durations.Durations({"s/x": 1.0}))
    assert cfg.timeout_for(case("x")) == 3 * durations.FLOOR
    assert Config(repo=REPO).timeout_for(case("x", 42)) == 42


def test_weights_of_tests_without_a_reference():
    refs = durations.Durations({"a/x": 1.0, "a/y": 3.0, "a/z": 8.0})
    assert refs.weight("a/z", True) == 8.0
    assert refs.weight("a/new", True) == 3.0        # the median
    assert refs.weight("unit/test_x.py::t", False) == durations.UNIT_WEIGHT


def test_durations_file_round_trip_and_errors(tmp_path):
    path = str(tmp_path / "durations.json")
    assert durations.load(path) == durations.Durations()
    refs = durations.Durations({"a/x": 1.5}, "direct", 4.0, 10.0)
    durations.write(path, refs)
    assert durations.load(path) == refs
    for text in ('{"tests": {"a/x": "slow"}}', '{"tests": [], "x": 1}',
                 '{"factor": true}', "[1"):
        (tmp_path / "bad.json").write_text(text)
        with pytest.raises(durations.DurationsError, match="bad.json"):
            durations.load(str(tmp_path / "bad.json"))


def test_references_come_only_from_correct_runs():
    slow = kernel("vm", "b", seconds=4.0)
    assert durations.measured([RECORDS[1:2], [slow]]) == {"vm/b": 4.0}
    with pytest.raises(durations.DurationsError, match="3 tests failed"):
        durations.measured([RECORDS])
    old = durations.Durations({"a/kept": 1.0, "a/gone": 2.0, "vm/b": 9.0})
    new = durations.refresh(old, {"vm/b": 4.004}, lambda t: t != "a/gone")
    assert new.seconds == {"a/kept": 1.0, "vm/b": 4.0}



def test_durations_command_records_new_tests_only_with_missing(tmp_path):
    out = str(tmp_path / "durations.json")
    durations.write(out, durations.Durations({"userprog/args-none": 9.0}))
    run = write_run(str(tmp_path / "run"), [
        kernel("userprog", "args-none", seconds=1.0),
        kernel("userprog", "args-single", seconds=2.0),
        kernel("userprog", "no-such-test", seconds=3.0)])
    command = [sys.executable, os.path.join(REPO, "harness", "durations"),
               "--out", out]
    done = subprocess.run(command + ["--missing", run], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert durations.load(out).seconds == {"userprog/args-none": 9.0,
                                           "userprog/args-single": 2.0,
                                           "userprog/no-such-test": 3.0}
    done = subprocess.run(command + [run], capture_output=True, text=True)
    assert durations.load(out).seconds["userprog/args-none"] == 1.0
    # A unit test of a module the runs ran, but not itself: gone.
    stale, kept = ("unit/test_shard.py::test_a_bad_shard_is_refused[%s]" % p
                   for p in ("gone", "0/3"))
    durations.write(out, durations.Durations({stale: 1.0}))
    unit = dataclasses.replace(kernel("unit", "x"), id=kept)
    done = subprocess.run(command + [write_run(str(tmp_path / "u"), [unit])],
                          capture_output=True, text=True)
    assert durations.load(out).seconds == {kept: 1.0}
    failed = write_run(str(tmp_path / "failed"), RECORDS)
    done = subprocess.run(command + [failed], capture_output=True, text=True)
    assert done.returncode == 2 and "3 tests failed" in done.stderr


def test_results_dir_takes_a_partial_runs_results(tmp_path, monkeypatch):
    from types import SimpleNamespace
    from harness import conftest
    monkeypatch.setattr(conftest, "PARTIAL_DIR", str(tmp_path / "partial"))
    conftest._Results(["shard 1/3"], str(tmp_path / "mine")) \
        .pytest_sessionfinish(SimpleNamespace())
    assert sorted(os.listdir(tmp_path)) == ["mine"]
    assert sorted(os.listdir(tmp_path / "mine")) == ["junit.xml",
                                                      "results.json"]
