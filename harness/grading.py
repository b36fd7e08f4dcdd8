"""`make grade`: points per suite from a rubric and a session's results.

The rubric (harness/rubric.toml; docs/interfaces.md, section 8) gives each
graded suite its points and its tests' weights, in the manner of Pintos's
Rubric files and xv6's grade-lab scripts.  The results are
build/results/results.json, written by every harness run.  Every test of a
graded suite on disk counts, so a test that was not run scores nothing
rather than vanishing from the total.
"""

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict

from harness.cases import case_id, is_case_file
from harness.tomlcompat import tomllib


class RubricError(Exception):
    """The rubric or the results cannot be read; the message says why."""


@dataclass
class SuiteRubric:
    """A graded suite: its points and the weight of each test listed
    (others weigh `default`)."""
    points: float
    weights: Dict[str, float] = field(default_factory=dict)
    default: float = 1.0

    def weight(self, name):
        return self.weights.get(name, self.default)


def load_rubric(path):
    """Return {suite: SuiteRubric} from the rubric file at PATH."""
    try:
        with open(path, "rb") as src:
            table = tomllib.load(src)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise RubricError("%s: %s" % (path, err)) from None
    suites = {}
    for suite, entry in table.get("suite", {}).items():
        unknown = set(entry) - {"points", "weights", "weight"}
        if unknown or not _number(entry.get("points")):
            raise RubricError("%s: suite %r needs `points` (a number) and "
                              "may have `weight` and `weights`, not %s"
                              % (path, suite, ", ".join(sorted(unknown))
                                 or "that"))
        weights = entry.get("weights", {})
        if not all(_number(w) for w in weights.values()):
            raise RubricError("%s: suite %r: weights are numbers"
                              % (path, suite))
        suites[suite] = SuiteRubric(float(entry["points"]), dict(weights),
                                    float(entry.get("weight", 1)))
    if set(table) - {"suite"}:
        raise RubricError("%s: only [suite.NAME] tables belong here" % path)
    return suites


def _number(value):
    """Return True for an int or float that is not negative."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and value >= 0


def suite_tests(tests_dir, suite):
    """Return the names of the tests of SUITE on disk, sorted."""
    directory = os.path.join(tests_dir, suite)
    if not os.path.isdir(directory):
        return []
    return sorted(case_id(os.path.join(directory, entry)).name
                  for entry in os.listdir(directory)
                  if is_case_file(entry))


def load_results(path):
    """Return the `tests` table of results.json at PATH."""
    try:
        with open(path) as src:
            return json.load(src)["tests"]
    except (OSError, ValueError, KeyError) as err:
        raise RubricError("%s: %s (run the tests first: make grade does)"
                          % (path, err)) from None


def grade(rubric, tests_dir, tests):
    """Return the grade: {"suites": {suite: {...}}, "points", "max_points",
    "failed": [...]}, from RUBRIC, the tests on disk under TESTS_DIR and
    the TESTS of results.json."""
    suites, failed = {}, []
    for suite, rule in sorted(rubric.items()):
        names = suite_tests(tests_dir, suite)
        total = sum(rule.weight(n) for n in names)
        passed, earned = 0, 0.0
        for name in names:
            record = tests.get("%s/%s" % (suite, name))
            if record and record["status"] == "passed":
                passed += 1
                earned += rule.weight(name)
                continue
            failed.append({"id": "%s/%s" % (suite, name),
                           "status": record["status"] if record
                           else "not run",
                           "kind": record.get("kind") if record else None,
                           "reason": record.get("reason") if record else None,
                           "points_lost": _round(rule.points * rule.weight(
                               name) / total)})
        suites[suite] = {
            "points": _round(rule.points * earned / total if total else 0),
            "max_points": rule.points, "tests": len(names),
            "passed": passed}
    return {"suites": suites,
            "points": _round(sum(s["points"] for s in suites.values())),
            "max_points": _round(sum(r.points for r in rubric.values())),
            "failed": failed}


def _round(value):
    return round(value, 2)


def report_lines(result):
    """Return the grade report: points per suite and in total, then the
    tests that lost points with their failure kind."""
    lines = ["%-12s %8s %8s" % ("suite", "points", "tests")]
    for suite, s in result["suites"].items():
        lines.append("%-12s %8s %8s" % (
            suite, "%g/%g" % (s["points"], s["max_points"]),
            "%d/%d" % (s["passed"], s["tests"])))
    lines.append("%-12s %8s" % ("total", "%g/%g" % (result["points"],
                                                   result["max_points"])))
    ran = [f for f in result["failed"] if f["status"] != "not run"]
    if ran:
        lines += ["", "tests that lost points:"]
        lines += ["  %-28s %-9s -%-5g %s" % (
            f["id"], f["kind"] or f["status"], f["points_lost"],
            f["reason"] or "") for f in ran]
    missing = Counter(f["id"].split("/")[0] for f in result["failed"]
                      if f["status"] == "not run")
    if missing:
        lines += ["", "tests not run (no points; listed in grade.json):"]
        lines += ["  %s: %d" % item for item in sorted(missing.items())]
    return lines
