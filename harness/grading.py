"""`make grade`: points per suite from a rubric and a session's results.

The rubric (harness/rubric.toml; docs/interfaces.md, section 8) gives each
graded suite its points and its tests' weights, in the manner of Pintos's
Rubric files and xv6's grade-lab scripts.  The results are
build/results/results.json, written by every harness run.  Every test of a
graded suite on disk counts, so a test that was not run scores nothing
rather than vanishing from the total.  Points are fractions.Fraction, so
that shares such as 30/103 add up to the exact total; they become floats
only in JSON and are printed by format_points.
"""

import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Dict, List, Optional

from harness import results
from harness.cases import suite_cases
from harness.compat import tomllib

# The paths a submission owns when the rubric names none: the VM layer.
DEFAULT_SUBMISSION_PATHS = ("mm/",)


class RubricError(Exception):
    """The rubric or the results cannot be read; the message says why."""


@dataclass
class SuiteRubric:
    """A graded suite: its points and the weight of each test listed
    (others weigh `default`); `tests`, when not None, the only tests of
    the suite that are graded (and run by a submission's grading)."""
    points: Fraction
    weights: Dict[str, Fraction] = field(default_factory=dict)
    default: Fraction = Fraction(1)
    tests: Optional[List[str]] = None

    def weight(self, name):
        return Fraction(self.weights.get(name, self.default))


class Rubric(dict):
    """{suite: SuiteRubric}, with the rubric's other settings: `ungraded`,
    the suites whose tests are knowingly not graded, and
    `submission_paths`, the paths a submission owns (a folder ends with
    /), which harness/submission.py copies onto the trusted tree."""

    def __init__(self, suites=(), ungraded=(),
                 submission_paths=DEFAULT_SUBMISSION_PATHS):
        super().__init__(suites)
        self.ungraded = set(ungraded)
        self.submission_paths = list(submission_paths)


def load_rubric(path):
    """Return the Rubric of the rubric file at PATH."""
    try:
        with open(path, "rb") as src:
            table = tomllib.load(src)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise RubricError("%s: %s" % (path, err)) from None
    if set(table) - {"suite", "ungraded", "submission"}:
        raise RubricError("%s: only `ungraded`, [submission] and "
                          "[suite.NAME] tables belong here" % path)
    suites = {suite: _suite_rubric(path, suite, entry)
              for suite, entry in table.get("suite", {}).items()}
    ungraded = _strings(path, "ungraded", table.get("ungraded", []))
    both = set(ungraded) & set(suites)
    if both:
        raise RubricError("%s: suite %s is both graded and ungraded"
                          % (path, ", ".join(sorted(both))))
    submission = table.get("submission", {})
    if not isinstance(submission, dict) or set(submission) - {"paths"}:
        raise RubricError("%s: [submission] has only `paths`" % path)
    paths = _strings(path, "[submission] paths",
                     submission.get("paths", DEFAULT_SUBMISSION_PATHS))
    for owned in paths:
        _check_submission_path(path, owned)
    return Rubric(suites, ungraded, paths)


def _suite_rubric(path, suite, entry):
    """Return the SuiteRubric of [suite.SUITE], ENTRY, of the rubric at
    PATH; raise RubricError naming what is wrong."""
    unknown = set(entry) - {"points", "weights", "weight", "tests"}
    if unknown or not _number(entry.get("points")):
        raise RubricError("%s: suite %r needs `points` (a number) and "
                          "may have `weight`, `weights` and `tests`, not %s"
                          % (path, suite, ", ".join(sorted(unknown))
                             or "that"))
    weights = entry.get("weights", {})
    if not all(_number(w) for w in weights.values()) or \
            not _number(entry.get("weight", 1)):
        raise RubricError("%s: suite %r: weights are numbers"
                          % (path, suite))
    tests = entry.get("tests")
    if tests is not None:
        tests = _strings(path, "suite %r: tests" % suite, tests)
    return SuiteRubric(_exact(entry["points"]),
                       {n: _exact(w) for n, w in weights.items()},
                       _exact(entry.get("weight", 1)), tests)


def _strings(path, what, value):
    """Return VALUE, a list of strings; else raise RubricError."""
    if not isinstance(value, (list, tuple)) or \
            not all(isinstance(v, str) and v for v in value):
        raise RubricError("%s: %s is a list of names" % (path, what))
    return list(value)


def _check_submission_path(path, owned):
    """Refuse a submission path OWNED that leaves the tree or holds the
    harness, its tests or the rubric: those never come from a
    submission."""
    parts = owned.rstrip("/").split("/")
    if owned.startswith("/") or not owned.rstrip("/") or \
            any(p in ("", ".", "..") for p in parts) or parts[0] == "harness":
        raise RubricError("%s: [submission] path %r must be a file or "
                          "folder inside the tree, outside harness/"
                          % (path, owned))


def _exact(value):
    """Return the rubric number VALUE as a Fraction: 0.1 is 1/10, as
    written, not the binary float nearest to it."""
    return Fraction(str(value)) if isinstance(value, float) \
        else Fraction(value)


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
    points: Fraction
    max_points: Fraction

    @property
    def passed(self):
        return self.status == results.Status.PASSED

    @property
    def points_lost(self):
        return self.max_points - self.points


@dataclass
class SuiteGrade:
    """A graded suite's points and how many of its tests passed."""
    points: Fraction
    max_points: Fraction
    tests: int
    passed: int


@dataclass
class Grade:
    """The grade of a run: per suite, per test (passed or not) and in
    total."""
    suites: Dict[str, SuiteGrade]
    tests: List[GradedTest]
    points: Fraction
    max_points: Fraction

    @property
    def failed(self):
        """The tests that did not pass (and so lost their points)."""
        return [t for t in self.tests if not t.passed]

    @property
    def percent(self):
        """The total as a percentage of the maximum (0 when that is 0)."""
        return self.points * 100 / self.max_points if self.max_points else \
            Fraction(0)

    def to_json(self):
        """grade.json's object (docs/interfaces.md, section 7): points as
        floats, the totals also exactly (`points_exact`, "N" or "N/D")."""
        return {"suites": {name: _floats(asdict(s))
                           for name, s in self.suites.items()},
                "points": float(self.points),
                "max_points": float(self.max_points),
                "points_exact": str(self.points),
                "max_points_exact": str(self.max_points),
                "passed": [t.id for t in self.tests if t.passed],
                "failed": [{"id": t.id, "status": t.status, "kind": t.kind,
                            "reason": t.reason,
                            "points_lost": float(t.points_lost)}
                           for t in self.failed],
                "tests": [_floats(asdict(t)) for t in self.tests]}


def _floats(fields):
    """Return the dict FIELDS with its Fractions as floats."""
    return {k: float(v) if isinstance(v, Fraction) else v
            for k, v in fields.items()}


def graded_tests(rubric, tests_dir):
    """Return [(suite, [test names])] of the tests RUBRIC grades, from the
    tests on disk under TESTS_DIR, by suite name.  Raise RubricError for
    a suite on disk that the rubric neither grades nor calls ungraded
    (it would silently be worth nothing) and for a test named by a
    suite's `tests` that is not on disk."""
    on_disk = sorted(entry for entry in os.listdir(tests_dir)
                     if suite_cases(tests_dir, entry))
    unknown = [s for s in on_disk if s not in rubric and
               s not in getattr(rubric, "ungraded", ())]
    if unknown:
        raise RubricError("suite %s has tests but no rubric entry (give it "
                          "points, or name it in `ungraded`)"
                          % ", ".join(unknown))
    graded = []
    for suite, rule in sorted(rubric.items()):
        names = [key.name for key in suite_cases(tests_dir, suite)]
        if rule.tests is not None:
            missing = [n for n in rule.tests if n not in names]
            if missing:
                raise RubricError("suite %s: no test %s under %s" % (
                    suite, ", ".join(missing), tests_dir))
            names = [n for n in names if n in rule.tests]
        graded.append((suite, names))
    return graded


def grade(rubric, tests_dir, records):
    """Return the Grade from RUBRIC, the tests on disk under TESTS_DIR and
    RECORDS ({id: results.Record}, as load_results returns them)."""
    suites, tests = {}, []
    for suite, names in graded_tests(rubric, tests_dir):
        rule = rubric[suite]
        total = sum(rule.weight(n) for n in names)
        passed, earned = 0, Fraction(0)
        for name in names:
            record = records.get("%s/%s" % (suite, name))
            share = rule.points * rule.weight(name) / total if total \
                else Fraction(0)
            ok = record is not None and record.status == results.Status.PASSED
            tests.append(GradedTest(
                "%s/%s" % (suite, name),
                str(record.status) if record else NOT_RUN,
                record.kind if record else None,
                record.reason if record else None,
                share if ok else Fraction(0), share))
            if ok:
                passed += 1
                earned += rule.weight(name)
        suites[suite] = SuiteGrade(
            rule.points * earned / total if total else Fraction(0),
            Fraction(rule.points), len(names), passed)
    return Grade(suites, tests, sum((s.points for s in suites.values()),
                                    Fraction(0)),
                 sum((Fraction(r.points) for r in rubric.values()),
                     Fraction(0)))


def format_points(value, digits=3):
    """Return the number VALUE (a Fraction) as text that is never wrong:
    exact decimals when it has at most 4 ("22.5", "0.625"), else DIGITS
    decimals marked as rounded ("~0.291"; grade.json has the exact
    totals)."""
    value = Fraction(value)
    for places in range(5):
        scaled = value * 10 ** places
        if scaled.denominator == 1:
            whole, part = divmod(abs(scaled.numerator), 10 ** places)
            return "%s%d%s" % ("-" if value < 0 else "", whole,
                               ".%0*d" % (places, part) if places else "")
    return "~%.*f" % (digits, value)


def report_lines(result):
    """Return the report of Grade RESULT: points per suite and in total,
    then the tests that lost points with their failure kind."""
    lines = ["%-12s %8s %8s" % ("suite", "points", "tests")]
    for suite, s in result.suites.items():
        lines.append("%-12s %8s %8s" % (
            suite, "%s/%s" % (format_points(s.points),
                              format_points(s.max_points)),
            "%d/%d" % (s.passed, s.tests)))
    lines.append("%-12s %8s" % ("total", "%s/%s" % (
        format_points(result.points), format_points(result.max_points))))
    ran = [t for t in result.failed if t.status != NOT_RUN]
    if ran:
        lines += ["", "tests that lost points:"]
        lines += ["  %-28s %-9s -%-5s %s" % (
            t.id, t.kind or t.status, format_points(t.points_lost),
            t.reason or "") for t in ran]
    missing = Counter(t.id.split("/")[0] for t in result.failed
                      if t.status == NOT_RUN)
    if missing:
        lines += ["", "tests not run (no points; listed in grade.json):"]
        lines += ["  %s: %d" % item for item in sorted(missing.items())]
    return lines
