"""`make grade`: points per suite from a rubric and a session's results.

The rubric (harness/rubric.toml; docs/interfaces.md, section 8) gives each
graded suite its points and its tests' weights, in the manner of Pintos's
Rubric files and xv6's grade-lab scripts.  The results are
build/results/results.json, written by every harness run.  Every test of a
graded suite on disk counts, so a test that was not run scores nothing
rather than vanishing from the total.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from harness import results
from harness.cases import suite_cases
from harness.compat import tomllib


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


def load_results(path):
    """Return {id: results.Record} of the results.json at PATH."""
    try:
        return results.load_json(path)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise RubricError("%s: %s (run the tests first: make grade does)"
                          % (path, err)) from None


NOT_RUN = "not run"             # the status of a test missing from a run


@dataclass
class GradedTest:
    """One test of a graded suite: its status in the run (a
    results.Status value, or NOT_RUN), its failure kind and reason, the
    points it scored and the points it could score."""
    id: str
    status: str
    kind: Optional[str]
    reason: Optional[str]
    points: float
    max_points: float

    @property
    def points_lost(self):
        return _round(self.max_points - self.points)


@dataclass
class SuiteGrade:
    """A graded suite's points and how many of its tests passed."""
    points: float
    max_points: float
    tests: int
    passed: int


@dataclass
class Grade:
    """The grade of a run: per suite, per test (passed or not) and in
    total."""
    suites: Dict[str, SuiteGrade]
    tests: List[GradedTest]
    points: float
    max_points: float

    @property
    def failed(self):
        """The tests that did not pass (and so lost their points)."""
        return [t for t in self.tests if t.status != results.Status.PASSED]

    def to_json(self):
        """grade.json's object (docs/interfaces.md, section 7)."""
        return {"suites": {name: asdict(s) for name, s in self.suites.items()},
                "points": self.points, "max_points": self.max_points,
                "failed": [{"id": t.id, "status": t.status, "kind": t.kind,
                            "reason": t.reason, "points_lost": t.points_lost}
                           for t in self.failed],
                "tests": [asdict(t) for t in self.tests]}


def grade(rubric, tests_dir, records):
    """Return the Grade from RUBRIC, the tests on disk under TESTS_DIR and
    RECORDS ({id: results.Record}, as load_results returns them)."""
    suites, tests = {}, []
    for suite, rule in sorted(rubric.items()):
        names = [key.name for key in suite_cases(tests_dir, suite)]
        total = sum(rule.weight(n) for n in names)
        passed, earned = 0, 0.0
        for name in names:
            record = records.get("%s/%s" % (suite, name))
            share = _round(rule.points * rule.weight(name) / total
                           if total else 0)
            ok = record is not None and record.status == results.Status.PASSED
            tests.append(GradedTest(
                "%s/%s" % (suite, name),
                str(record.status) if record else NOT_RUN,
                record.kind if record else None,
                record.reason if record else None,
                share if ok else 0, share))
            if ok:
                passed += 1
                earned += rule.weight(name)
        suites[suite] = SuiteGrade(
            _round(rule.points * earned / total if total else 0),
            rule.points, len(names), passed)
    return Grade(suites, tests,
                 _round(sum(s.points for s in suites.values())),
                 _round(sum(r.points for r in rubric.values())))


def _round(value):
    return round(value, 2)


def report_lines(result):
    """Return the report of Grade RESULT: points per suite and in total,
    then the tests that lost points with their failure kind."""
    lines = ["%-12s %8s %8s" % ("suite", "points", "tests")]
    for suite, s in result.suites.items():
        lines.append("%-12s %8s %8s" % (
            suite, "%g/%g" % (s.points, s.max_points),
            "%d/%d" % (s.passed, s.tests)))
    lines.append("%-12s %8s" % ("total", "%g/%g" % (result.points,
                                                   result.max_points)))
    ran = [t for t in result.failed if t.status != NOT_RUN]
    if ran:
        lines += ["", "tests that lost points:"]
        lines += ["  %-28s %-9s -%-5g %s" % (
            t.id, t.kind or t.status, t.points_lost, t.reason or "")
            for t in ran]
    missing = Counter(t.id.split("/")[0] for t in result.failed
                      if t.status == NOT_RUN)
    if missing:
        lines += ["", "tests not run (no points; listed in grade.json):"]
        lines += ["  %s: %d" % item for item in sorted(missing.items())]
    return lines
