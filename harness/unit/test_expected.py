"""Unit tests of the expected-output format and comparator
(harness/expected.py)."""

import pytest

from harness.expected import (ExpectedFormatError, Pattern, Unordered,
                              color_diff, compare, filter_lines, is_exit_line,
                              is_fault_line, parse_expected)


def test_plain_lines_one_alternative():
    exp = parse_expected("hello\nworld\n")
    assert exp.alternatives == [["hello", "world"]]
    assert not exp.ignore_exit_codes and not exp.ignore_faults


def test_empty_file_means_empty_frame():
    exp = parse_expected("")
    assert exp.alternatives == [[]]
    assert compare(exp, []).matched
    assert not compare(exp, ["x"]).matched


def test_single_newline_is_one_empty_line():
    assert parse_expected("\n").alternatives == [[""]]


def test_alternatives_split_on_or_line():
    exp = parse_expected("a\nb\n%% or\nc\n%% or\n")
    assert exp.alternatives == [["a", "b"], ["c"], []]
    assert compare(exp, ["c"]).matched
    assert compare(exp, ["c"]).index == 1
    assert compare(exp, []).matched


def test_directives_before_output():
    exp = parse_expected("%% ignore-exit-codes\n%% ignore-faults\nx\n")
    assert exp.ignore_exit_codes and exp.ignore_faults
    assert exp.alternatives == [["x"]]


def test_directive_after_output_is_an_error():
    with pytest.raises(ExpectedFormatError, match="before the first output"):
        parse_expected("x\n%% ignore-faults\n", "t.expected")


def test_directive_after_or_is_an_error():
    with pytest.raises(ExpectedFormatError, match=r"t.expected:2"):
        parse_expected("%% or\n%% ignore-faults\n", "t.expected")


def test_unknown_directive_is_an_error():
    with pytest.raises(ExpectedFormatError, match="unknown directive"):
        parse_expected("%% ignore-everything\n")


def test_or_line_loses_trailing_spaces():
    # "%% or " is cleaned to "%% or"
    assert parse_expected("a\n%% or \nb\n").alternatives == [["a"], ["b"]]


@pytest.mark.parametrize("line, hint", [
    ("%%re: child \\d+", "did you mean '%% re: child \\\\d+'"),
    ("%%or", "did you mean '%% or'"),
    ("%%unordered", "did you mean '%% unordered'"),
    ("%%ignore-faults", "did you mean '%% ignore-faults'"),
    ("%% unorderd", "known: "),
    ("%%", "known: "),
    ("%%% re: x", "known: "),
])
def test_a_line_starting_with_percents_is_never_literal(line, hint):
    # a typo in a directive fails the file with its line named, instead of
    # being compared as a literal line that can never match
    with pytest.raises(ExpectedFormatError) as caught:
        parse_expected("(t) begin\n%s\n(t) end\n" % line, "t.expected")
    message = str(caught.value)
    assert message.startswith("t.expected:2: unknown directive %r" % line)
    assert hint in message


def test_a_literal_line_starting_with_percents_is_a_pattern():
    exp = parse_expected("%% re: %%re: x\n")
    assert compare(exp, ["%%re: x"]).matched


def test_cr_and_trailing_spaces_dropped_on_both_sides():
    exp = parse_expected("hello  \r\nworld\r\n")
    assert exp.alternatives == [["hello", "world"]]
    assert compare(exp, ["hello", "world"]).matched
    # leading spaces are significant
    assert not compare(exp, [" hello", "world"]).matched


def test_exit_and_fault_line_recognition():
    assert is_exit_line("args-single: exit(0)")
    assert is_exit_line("child: exit(-1)")
    assert not is_exit_line("args-single: exit(0) trailing")
    assert not is_exit_line("exit(0)")
    assert is_fault_line("Page fault at 0x0: not present error writing page "
                         "in user context.")
    assert is_fault_line("bad-read: dying due to interrupt 0x0e (#PF Page-Fault "
                         "Exception).")
    assert not is_fault_line("Page faults: 3")


def test_ignore_exit_codes_drops_both_sides():
    exp = parse_expected("%% ignore-exit-codes\nhello\n")
    assert compare(exp, ["hello", "prog: exit(3)"]).matched
    exp = parse_expected("%% ignore-exit-codes\nhello\nprog: exit(0)\n")
    assert compare(exp, ["hello"]).matched


def test_without_directive_exit_codes_count():
    exp = parse_expected("hello\nprog: exit(0)\n")
    assert not compare(exp, ["hello", "prog: exit(1)"]).matched


def test_ignore_faults():
    exp = parse_expected("%% ignore-faults\nbefore\nprog: exit(-1)\n")
    frame = ["before", "Page fault at 0xc0000000: rights violation",
             "prog: dying due to interrupt 0x0e (#PF).", "prog: exit(-1)"]
    assert compare(exp, frame).matched
    assert filter_lines(frame, parse_expected("x\n")) == frame


def test_mismatch_gives_unified_diff():
    exp = parse_expected("(palloc) PASS\n")
    result = compare(exp, ["(palloc) FAIL: pool not restored"])
    assert not result.matched
    lines = result.diff.splitlines()
    assert lines[0] == "--- expected"
    assert lines[1] == "+++ actual (console frame)"
    assert "-(palloc) PASS" in lines
    assert "+(palloc) FAIL: pool not restored" in lines


def test_diff_is_against_the_closest_alternative():
    exp = parse_expected("one\ntwo\nthree\n%% or\nalpha\nbeta\ngamma\n")
    result = compare(exp, ["alpha", "BETA", "gamma"])
    assert not result.matched
    assert result.index == 1
    assert "alternative 2 of 2" in result.diff
    assert "-beta" in result.diff and "+BETA" in result.diff
    assert "-one" not in result.diff


def test_diff_notes_an_empty_side():
    result = compare(parse_expected(""), ["unexpected"])
    assert "(the expected output is empty)" in result.diff
    result = compare(parse_expected("wanted\n"), [])
    assert "(the console frame is empty)" in result.diff


def test_diff_shows_control_characters_visibly():
    result = compare(parse_expected("a\n"), ["\x1b[2Jb"])
    assert "+^[[2Jb" in result.diff
    assert "\x1b" not in result.diff


def test_deliberately_wrong_expected_file_shows_readable_diff():
    """The comparator-level twin of harness/wrong-expected."""
    with open(__file__.replace("unit/test_expected.py",
                               "tests/harness/wrong-expected.expected")) as f:
        exp = parse_expected(f.read())
    result = compare(exp, ["(palloc) PASS"])
    assert not result.matched
    assert "-(palloc) this line is deliberately wrong" in result.diff
    assert "+(palloc) PASS" in result.diff


# Lines that are regular expressions: `%% re: REGEX`.

def test_regex_line_matches_a_whole_line():
    exp = parse_expected("(child) pid %% re: x\n%% re: \\(child\\) pid \\d+\n")
    assert exp.alternatives[0][0] == "(child) pid %% re: x"
    assert isinstance(exp.alternatives[0][1], Pattern)
    assert compare(exp, ["(child) pid %% re: x", "(child) pid 42"]).matched
    assert not compare(exp, ["(child) pid %% re: x", "(child) pid 4x"]).matched
    # the whole line, not a part of it
    assert not compare(exp, ["(child) pid %% re: x",
                             "(child) pid 42 more"]).matched


def test_literal_line_with_regex_characters_compares_literally():
    exp = parse_expected("(args) argv[1] = 'a.*b' (x+)?\n")
    assert compare(exp, ["(args) argv[1] = 'a.*b' (x+)?"]).matched
    assert not compare(exp, ["(args) argv1 = 'aXXb' xx"]).matched
    assert not compare(exp, ["(args) argv[1] = 'aXXb' (x+)?"]).matched


def test_bad_regex_is_an_error_with_its_line():
    with pytest.raises(ExpectedFormatError, match=r"t.expected:2: bad "
                       r"regular expression '\(unclosed'"):
        parse_expected("a\n%% re: (unclosed\n", "t.expected")


# Ignoring lines: `%% ignore: REGEX`.

def test_ignore_directive_drops_matching_lines_on_both_sides():
    exp = parse_expected("%% ignore: ^debug: \n%% ignore: tick \\d+\n"
                         "begin\ndebug: in the expected file\nend\n")
    assert compare(exp, ["begin", "debug: 1", "tick 7 of 9", "end"]).matched
    assert not compare(exp, ["begin", "undebug: 1", "end"]).matched


def test_ignore_directive_only_in_the_preamble():
    with pytest.raises(ExpectedFormatError, match="before the first output"):
        parse_expected("x\n%% ignore: y\n")


# Unordered blocks: `%% unordered` ... `%% end`.

def test_unordered_block_takes_its_lines_in_any_order():
    exp = parse_expected("begin\n%% unordered\nchild 1: done\n"
                         "%% re: child 2: \\w+\nchild 3: done\n%% end\n"
                         "end\n")
    block = exp.alternatives[0][1]
    assert isinstance(block, Unordered) and len(block.items) == 3
    for middle in (["child 3: done", "child 2: ok", "child 1: done"],
                   ["child 2: x", "child 1: done", "child 3: done"]):
        assert compare(exp, ["begin"] + middle + ["end"]).matched
    # the block's lines stay between the lines around it
    assert not compare(exp, ["child 1: done", "begin", "child 2: ok",
                             "child 3: done", "end"]).matched
    # each line once
    assert not compare(exp, ["begin", "child 1: done", "child 1: done",
                             "child 2: ok", "end"]).matched


def test_unordered_block_needs_a_perfect_matching():
    # a greedy choice (the pattern takes 'a1') would fail; 'a1' must go to
    # the literal line and the pattern take 'a2'
    exp = parse_expected("%% unordered\n%% re: a\\d\na1\n%% end\n")
    assert compare(exp, ["a1", "a2"]).matched
    assert not compare(exp, ["a2", "a3"]).matched


@pytest.mark.parametrize("text, message", [
    ("%% unordered\na\n", "block has no '%% end'"),
    ("%% unordered\na\n%% or\nb\n", "line 1 has no '%% end'"),
    ("%% end\n", "'%% end' without '%% unordered'"),
    ("%% unordered\n%% unordered\n", "inside a block"),
])
def test_block_errors(text, message):
    with pytest.raises(ExpectedFormatError, match=message):
        parse_expected(text, "t.expected")


def test_diff_shows_only_real_differences_around_patterns():
    exp = parse_expected("%% re: pid \\d+\nwanted\n%% re: tick \\d+\n")
    result = compare(exp, ["pid 12", "got", "tick 3"])
    lines = result.diff.splitlines()
    assert "-wanted" in lines and "+got" in lines
    assert " pid 12" in lines and " tick 3" in lines      # matched: equal
    assert result.first_difference == "missing line: wanted"
    result = compare(exp, ["pid 12", "wanted", "tock"])
    assert "-%% re: tick \\d+" in result.diff.splitlines()


def _block_diff(block, actual):
    """The -/+ lines of the diff of a `(t)` frame with BLOCK unordered
    between its begin and end lines against ACTUAL's middle lines."""
    exp = parse_expected("(t) begin\n%% unordered\n" + "".join(
        line + "\n" for line in block) + "%% end\n(t) end\n")
    result = compare(exp, ["(t) begin"] + actual + ["(t) end"])
    assert not result.matched
    lines = result.diff.splitlines()[3:]
    return ([l[1:] for l in lines if l.startswith("-")],
            [l[1:] for l in lines if l.startswith("+")],
            result.first_difference)


def test_unordered_diff_names_the_item_no_line_took():
    # 'child 2: done' is taken by the actual 'child 2: done' (one to one,
    # as the verdict pairs them): the missing item is 'child 3: done'
    minus, plus, first = _block_diff(
        ["child 1: done", "child 3: done", "child 2: done"],
        ["child 1: done", "child 2: done", "child 4: done"])
    assert minus == ["child 3: done"] and plus == ["child 4: done"]
    assert first == "missing line: child 3: done"


def test_unordered_diff_with_several_mismatches_in_one_block():
    block = ["c1: exit(1)", "%% re: child \\d: done", "child 3: done",
             "child 2: done"]
    # the pattern takes the second 'child 2: done', so only one item
    # lacks a line
    minus, plus, _ = _block_diff(
        block, ["child 2: done", "child 2: done", "c1: exit(1)",
                "child 7: gone"])
    assert minus == ["child 3: done"] and plus == ["child 7: gone"]
    # a line three times and a stray line: two items lack a line
    minus, plus, first = _block_diff(
        block, ["child 2: done", "child 2: done", "child 2: done",
                "child 7: gone"])
    assert sorted(minus) == ["c1: exit(1)", "child 3: done"]
    assert sorted(plus) == ["child 2: done", "child 7: gone"]
    assert first in ("missing line: c1: exit(1)",
                     "missing line: child 3: done")
    # every item matched some line, but two items compete for one line
    minus, plus, _ = _block_diff(
        ["a1", "%% re: a\\d", "b"], ["a1", "b", "c"])
    assert minus == ["%% re: a\\d"] and plus == ["c"]


def test_unordered_diff_shows_no_item_twice():
    # each item is shown once, matched or as written, whatever the order
    block = ["x1", "x2", "x3", "%% re: y\\d"]
    for actual in (["x3", "x3", "x3", "x3"], ["y1", "y2", "x2", "z"],
                   ["z", "x1", "z", "x1"]):
        exp = parse_expected("%% unordered\n" + "\n".join(block) +
                             "\n%% end\n")
        result = compare(exp, actual)
        lines = result.diff.splitlines()[3:]
        expected_side = [l[1:] for l in lines if l[:1] in " -"]
        shown = [item for item in block if item in expected_side]
        matched = [l for l in expected_side if l not in block]
        assert len(shown) + len(matched) == len(block)
        assert len(set(shown)) == len(shown)


def test_first_difference_of_an_extra_line():
    result = compare(parse_expected("a\n"), ["a", "b"])
    assert result.first_difference == "unexpected line: b"


def test_diff_colours():
    coloured = color_diff("--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+b\n c")
    lines = coloured.splitlines()
    assert lines[3] == "\x1b[31m-a\x1b[0m" and lines[4] == "\x1b[32m+b\x1b[0m"
    assert lines[2].startswith("\x1b[36m@@") and lines[5] == " c"
