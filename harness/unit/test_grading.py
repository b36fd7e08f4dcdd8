"""Unit tests of grading (harness/grading.py) and of the symbolizing
command line's text handling (harness/symbolize.py)."""

from fractions import Fraction

import pytest

from harness import grading, results
from harness.symbolize import Location, SymbolizedAddress, symbolize_text


@pytest.fixture
def tests_dir(tmp_path):
    """Suites a (tests x, y, z) and b (test w, and its defaults in
    suite.toml, which is no test) on disk."""
    for suite, names in (("a", "xyz"), ("b", "w")):
        (tmp_path / suite).mkdir()
        for name in names:
            (tmp_path / suite / (name + ".toml")).write_text("")
    (tmp_path / "b" / "suite.toml").write_text("")
    return str(tmp_path)


def record(test_id, kind=None, reason="clean"):
    """The results.Record of kernel test TEST_ID, failed with KIND."""
    suite, name = test_id.split("/")
    return results.Record(test_id, suite, name, results.Status.FAILED
                          if kind else results.Status.PASSED, kind,
                          reason=reason)


def rubric(tmp_path, text):
    path = tmp_path / "rubric.toml"
    path.write_text(text)
    return grading.load_rubric(str(path))


def test_points_by_weight_and_tests_not_run(tests_dir, tmp_path):
    rules = rubric(tmp_path, "[suite.a]\npoints = 30\n[suite.a.weights]\n"
                   "x = 2\n[suite.b]\npoints = 10\n")
    tests = {"a/x": record("a/x"), "a/y": record("a/y"),
             "a/z": record("a/z", "leak", "leak: user_frames")}
    result = grading.grade(rules, tests_dir, tests)
    assert result.suites["a"] == grading.SuiteGrade(22.5, 30, 3, 2)
    assert result.suites["b"].points == 0        # w never ran
    assert (result.points, result.max_points) == (22.5, 40)
    assert [(t.id, t.status, t.points, t.max_points) for t in
            result.tests] == [("a/x", "passed", 15, 15),
                              ("a/y", "passed", 7.5, 7.5),
                              ("a/z", "failed", 0, 7.5),
                              ("b/w", "not run", 0, 10)]
    data = result.to_json()
    assert [(f["id"], f["status"], f["points_lost"]) for f in
            data["failed"]] == [("a/z", "failed", 7.5),
                                ("b/w", "not run", 10)]
    assert data["suites"]["a"] == {"points": 22.5, "max_points": 30,
                                   "tests": 3, "passed": 2}
    assert data["tests"][0] == {"id": "a/x", "status": "passed",
                                "kind": None, "reason": "clean",
                                "points": 15, "max_points": 15}
    lines = grading.report_lines(result)
    assert lines[1] == "a             22.5/30      2/3"
    assert lines[3] == "total         22.5/40"
    assert "  a/z                          leak      -7.5   leak: " \
        "user_frames" in lines
    assert lines[-1] == "  b: 1"


@pytest.mark.parametrize("text, message", [
    ("[suite.a]\n", "needs `points`"),
    ("[suite.a]\npoints = 1\nbonus = 2\n", "not bonus"),
    ("[suite.a]\npoints = 1\n[suite.a.weights]\nx = 'two'\n", "numbers"),
    ("[other]\n", "only `ungraded`, \\[submission\\] and \\[suite.NAME\\]"),
    ("ungraded = ['a']\n[suite.a]\npoints = 1\n", "both graded and"),
    ("[suite.a]\npoints = 1\ntests = 'x'\n", "tests is a list"),
    ("[submission]\npaths = ['harness/tests/']\n", "outside harness/"),
    ("[submission]\npaths = ['../mm/']\n", "inside the tree"),
    ("[submission]\npaths = ['/etc/']\n", "inside the tree"),
    ("[submission]\nowner = 'x'\n", "only `paths`"),
])
def test_rubric_errors(tmp_path, text, message):
    with pytest.raises(grading.RubricError, match=message):
        rubric(tmp_path, text)


def test_the_repository_rubric_loads():
    rules = grading.load_rubric(__file__.replace("unit/test_grading.py",
                                                 "rubric.toml"))
    assert sum(r.points for r in rules.values()) == 100
    assert "harness" not in rules and rules.ungraded == {"harness"}
    assert rules.submission_paths == ["mm/"]
    tests_dir = __file__.replace("unit/test_grading.py", "tests")
    assert grading.graded_tests(rules, tests_dir)     # every suite named


def test_points_are_exact_and_passed_tests_are_listed(tests_dir, tmp_path):
    # 10 points over 3 tests: 10/3 each, which no float holds; two passed
    # make 20/3, and all three exactly 10.
    rules = rubric(tmp_path, "[suite.a]\npoints = 10\n[suite.b]\n"
                   "points = 0.1\n")
    result = grading.grade(rules, tests_dir, {
        "a/x": record("a/x"), "a/y": record("a/y"),
        "a/z": record("a/z", "leak"), "b/w": record("b/w")})
    assert result.suites["a"].points == Fraction(20, 3)
    assert result.points == Fraction(20, 3) + Fraction(1, 10)
    assert result.tests[0].points == Fraction(10, 3)
    assert grading.format_points(result.tests[0].points) == "~3.333"
    assert grading.format_points(Fraction(5, 8)) == "0.625"
    assert grading.format_points(Fraction(-1, 4)) == "-0.25"
    assert grading.format_points(Fraction(30)) == "30"
    data = result.to_json()
    assert data["passed"] == ["a/x", "a/y", "b/w"]
    assert data["points_exact"] == "203/30"
    assert data["max_points_exact"] == "101/10"
    full = grading.grade(rules, tests_dir, {
        t: record(t) for t in ("a/x", "a/y", "a/z", "b/w")})
    assert full.points == full.max_points == Fraction(101, 10)
    assert grading.report_lines(full)[3] == "total        10.1/10.1"


def test_a_suite_without_a_rubric_entry_is_an_error(tests_dir, tmp_path):
    rules = rubric(tmp_path, "[suite.a]\npoints = 10\n")
    with pytest.raises(grading.RubricError, match="suite b has tests but "
                       "no rubric entry"):
        grading.grade(rules, tests_dir, {})
    rules = rubric(tmp_path, "ungraded = ['b']\n[suite.a]\npoints = 10\n")
    assert list(grading.grade(rules, tests_dir, {}).suites) == ["a"]


def test_a_suite_can_grade_some_of_its_tests(tests_dir, tmp_path):
    rules = rubric(tmp_path, "ungraded = ['b']\n[suite.a]\npoints = 4\n"
                   "tests = ['z', 'x']\n")
    assert grading.graded_tests(rules, tests_dir) == [("a", ["x", "z"])]
    result = grading.grade(rules, tests_dir, {"a/x": record("a/x")})
    assert [(t.id, t.points) for t in result.tests] == [("a/x", 2),
                                                        ("a/z", 0)]
    rules["a"].tests = ["nope"]
    with pytest.raises(grading.RubricError, match="no test nope"):
        grading.graded_tests(rules, tests_dir)


def named(addresses, returns=True, program=None):
    """A symbolizer naming each address after itself and the lookup."""
    return [SymbolizedAddress(a, [Location("f%s_%s" % (a[-2:], returns),
                                           "%s.c:1" % (program or "k"))])
            for a in addresses]


def test_symbolize_text_like_pintos_backtrace():
    assert symbolize_text("Call stack: 0x10 0x20", named) == [
        "Call stack: 0x10 0x20", "  0x10: f10_True at k.c:1",
        "  0x20: f20_True at k.c:1"]
    assert symbolize_text("0x30", named) == ["0x30", "  0x30: f30_True at k.c:1"]
    assert symbolize_text("fault: rip=0x44 cr2=0x0", named, "prog") == [
        "fault: rip=0x44 cr2=0x0",
        "  rip 0x44 (in prog): f44_False at prog.c:1"]
    assert symbolize_text("no addresses here", named) == []


def test_symbolize_text_tells_a_whole_panic():
    text = ("Exception #GP General Protection (#13) error=0x0 rip=0x55 "
            "cr2=0x0 (kernel)\nCall stack: 0x66\nKernel PANIC at a.c:1 in "
            "f(): unhandled\nCall stack: 0x77\n")
    lines = symbolize_text(text, named)
    assert lines[1:3] == ["faulting instruction:",
                          "  rip 0x55 (in the kernel): f55_False at k.c:1"]
    assert lines[-1] == "  0x66: f66_True at k.c:1"
