"""Unit tests of the grade's reports (harness/export.py): the Pintos-style
`grade` file and Gradescope's results.json."""

import pytest

from harness import export, grading, results


@pytest.fixture
def graded(tmp_path):
    """The Grade and records of suites a (x passed, y failed with a diff)
    and b (w not run)."""
    for suite, names in (("a", "xy"), ("b", "w")):
        (tmp_path / suite).mkdir()
        for name in names:
            (tmp_path / suite / (name + ".toml")).write_text("")
    result_file = tmp_path / "y.result"
    result_file.write_text("FAIL: output mismatch: differs\ntest: a/y\n\n"
                           "--- expected\n+++ actual\n-wanted\n+got\n"
                           + "".join("+more %d\n" % i for i in range(60)))
    records = {
        "a/x": results.Record("a/x", "a", "x", results.Status.PASSED),
        "a/y": results.Record("a/y", "a", "y", results.Status.FAILED,
                              "mismatch", reason="output mismatch: differs",
                              location="missing line: wanted",
                              result_file=str(result_file))}
    rules = grading.Rubric({"a": grading.SuiteRubric(grading.Fraction(3)),
                            "b": grading.SuiteRubric(grading.Fraction(1))})
    return grading.grade(rules, str(tmp_path), records), records


def test_grade_text_lists_every_test_by_suite(graded):
    text = export.grade_text(graded[0], ["a note"])
    lines = text.splitlines()
    assert lines[0] == "TOTAL: 37.5% (1.5 of 4 points)"
    assert lines[1] == "a note"
    assert "  PASS a/x                                 1.5/1.5" in lines
    assert any(line.startswith("  FAIL a/y ") and
               line.endswith("output mismatch: differs") for line in lines)
    assert any(line.startswith("  FAIL b/w ") and line.endswith("not run")
               for line in lines)
    assert "  subtotal: 1 of 2 tests passed, 1.5 of 3 points" in lines
    assert any(line.startswith("total ") and "1/3" in line and
               "1.5/4" in line and "37.5%/100%" in line for line in lines)


def test_gradescope_results_hold_the_failure_and_its_diff(graded):
    result, records = graded
    data = export.gradescope_results(result, records, 12.4, "top", "why")
    assert (data["score"], data["execution_time"], data["output"]) == \
        (1.5, 12, "top")
    x, y, w = data["tests"]
    assert (x["name"], x["number"], x["status"], x["score"],
            x["max_score"]) == ("a/x", "1.1", "passed", 1.5, 1.5)
    assert (y["number"], y["status"], y["score"]) == ("1.2", "failed", 0)
    assert y["output"].startswith("kind: mismatch\nplace: missing line: "
                                  "wanted\nreason: output mismatch: "
                                  "differs\n\n--- expected\n")
    assert "+more 35" in y["output"] and "+more 36" not in y["output"]
    assert y["output"].endswith("[... 24 more lines in y.result]")
    assert (w["number"], w["output"]) == ("2.1", "why")
    assert all(t["visibility"] == "visible" for t in data["tests"])
