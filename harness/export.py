"""Reports of a grade for people and for course platforms.

From a grading.Grade (and the results.Record of each test, for a
failure's place and details) this writes:

- `grade`: a Pintos-style text file, every graded test PASS or FAIL by
  suite with its points, suite subtotals and the total percentage;
- Gradescope's autograder results.json (its public specification: a
  top-level `score`, `execution_time` and `output`, and `tests[]` with
  `name`, `number`, `score`, `max_score`, `status`, `output` and
  `visibility`).

Points come from the Grade's Fractions: a total is computed exactly and
then printed (grading.format_points) or converted once to a float.
docs/harness.md, "Grading a course", shows both files.
"""

import json
import os

from harness import results
from harness.grading import NOT_RUN, format_points

# How much of a failure's details (its diff, backtrace or CPU state) a
# Gradescope test output keeps.
DETAIL_LINES = 40
DETAIL_CHARS = 4000


def _percent(part, whole):
    """Return PART as a percentage of WHOLE, as text ("0%" when WHOLE is
    0)."""
    return format_points(part * 100 / whole if whole else 0, 2) + "%"


def grade_text(result, notes=()):
    """Return the Pintos-style `grade` file of Grade RESULT: the total
    percentage, a table of suites, then every test by suite with its
    points and, for a failure, its kind and reason; NOTES (lines) come
    after the total, e.g. why nothing ran."""
    total = result.max_points
    lines = ["TOTAL: %s (%s of %s points)" % (
        _percent(result.points, total), format_points(result.points),
        format_points(total))]
    lines += list(notes)
    lines += ["", "SUMMARY BY SUITE", "",
              "%-12s %9s %15s %17s" % ("suite", "passed", "points",
                                       "% of the total")]
    for name, suite in result.suites.items():
        lines.append("%-12s %9s %15s %17s" % (
            name, "%d/%d" % (suite.passed, suite.tests),
            "%s/%s" % (format_points(suite.points),
                       format_points(suite.max_points)),
            "%s/%s" % (_percent(suite.points, total),
                       _percent(suite.max_points, total))))
    lines.append("%-12s %9s %15s %17s" % (
        "total", "%d/%d" % (len(result.tests) - len(result.failed),
                            len(result.tests)),
        "%s/%s" % (format_points(result.points), format_points(total)),
        "%s/100%%" % _percent(result.points, total)))
    lines += ["", "TESTS BY SUITE"]
    for name, suite in result.suites.items():
        lines += ["", "%s (%s points)" % (name,
                                          format_points(suite.max_points))]
        for test in result.tests:
            if test.id.split("/")[0] == name:
                lines.append(_test_line(test))
        lines.append("  subtotal: %d of %d tests passed, %s of %s points"
                     % (suite.passed, suite.tests, format_points(suite.points),
                        format_points(suite.max_points)))
    return "\n".join(lines) + "\n"


def _test_line(test):
    """One test of the `grade` file: PASS/FAIL, id, points, why."""
    line = "  %s %-30s %8s/%-8s" % (
        "PASS" if test.passed else "FAIL", test.id,
        format_points(test.points), format_points(test.max_points))
    if test.passed:
        return line.rstrip()
    return "%s %s" % (line, test.reason or test.kind or test.status)


def failure_output(test, record, not_run=None):
    """Return a Gradescope test's `output` for GradedTest TEST that did
    not pass: its kind, place and reason, then the details of its
    .result file (diff, backtrace, CPU state), cut to DETAIL_LINES lines
    and DETAIL_CHARS characters.  NOT_RUN: what to say of a test with no
    record (default: that it did not run)."""
    if test.status == NOT_RUN or record is None:
        return not_run or "not run: the run has no result for this test"
    lines = ["kind: %s" % (test.kind or test.status)]
    if record.location:
        lines.append("place: %s" % record.location)
    lines.append("reason: %s" % (test.reason or test.status))
    details = _result_details(record.result_file)
    if details:
        lines += [""] + details
    text = "\n".join(lines)
    if len(text) > DETAIL_CHARS:
        text = text[:DETAIL_CHARS] + "\n[... cut at %d characters]" \
            % DETAIL_CHARS
    return text


def _result_details(path):
    """Return the details of a .result file (the lines after its first
    empty line), at most DETAIL_LINES of them; [] when there are none or
    the file cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as src:
            text = src.read()
    except (OSError, TypeError):
        return []
    _, sep, details = text.partition("\n\n")
    lines = details.rstrip("\n").split("\n") if sep else []
    if len(lines) > DETAIL_LINES:
        lines = lines[:DETAIL_LINES] + ["[... %d more lines in %s]" % (
            len(lines) - DETAIL_LINES, os.path.basename(path))]
    return lines


def gradescope_results(result, records, seconds, output, not_run=None):
    """Return Gradescope's results.json object for Grade RESULT: RECORDS
    ({id: results.Record}) give the failures' places and details;
    SECONDS the execution time; OUTPUT the top-level text; NOT_RUN the
    output of a test with no record (failure_output)."""
    numbers, tests = {}, []
    for test in result.tests:
        suite = test.id.split("/")[0]
        major = numbers.setdefault(suite, [len(numbers) + 1, 0])
        major[1] += 1
        tests.append({
            "name": test.id, "number": "%d.%d" % tuple(major),
            "score": float(test.points), "max_score": float(test.max_points),
            "status": "passed" if test.passed else "failed",
            "output": "" if test.passed else failure_output(
                test, records.get(test.id), not_run),
            "visibility": "visible"})
    return {"score": float(result.points),
            "max_score": float(result.max_points),
            "execution_time": int(round(seconds)),
            "output": output, "output_format": "text",
            "visibility": "visible", "stdout_visibility": "hidden",
            "tests": tests}


def write_text(path, text):
    """Write TEXT to PATH (its folder made when missing) as results.json
    is written: through a temporary file of its own and a rename."""
    results.write_atomically(os.path.abspath(path), text)


def write_json(path, data):
    """Write DATA as indented JSON to PATH."""
    write_text(path, json.dumps(data, indent=1) + "\n")
