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
