"""Unit tests of test-case loading (harness/cases.py)."""

import pytest

from harness.cases import (CaseError, CaseId, Expect, IoError,
                           StatCondition, case_id, is_case_file, load_case)


def write(directory, name, text):
    """Write file NAME in DIRECTORY and return its path."""
    path = directory / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def suite(tmp_path):
    """An empty suite directory tests/userprog."""
    directory = tmp_path / "tests" / "userprog"
    directory.mkdir(parents=True)
    return directory


def test_defaults_and_cmdline(suite):
    path = write(suite, "args-single.toml", 'run = "args-single onearg"\n')
    write(suite, "args-single.expected", "")
    case = load_case(path)
    assert case.id == "userprog/args-single"
    assert (case.memory, case.swap_mb, case.disk_free_kb, case.timeout,
            case.expect) == ("64M", 0, 1024, 60, "output")
    assert case.kernel_cmdline == "run args-single onearg"
    assert case.frame_cmdline == "args-single onearg"
    assert case.image_programs() == ["args-single"]


def test_every_setting(suite):
    path = write(suite, "t.toml", 'run = "parent  x"\ntimeout = 5\n'
                 'user_pages = 64\noptions = "quiet"\n'
                 'programs = ["child", "parent"]\n'
                 'files = ["in/a.txt", { src = "b.txt", name = "B" }]\n')
    write(suite, "t.expected", "")
    case = load_case(path)
    assert case.timeout == 5.0 and case.user_pages == 64
    assert case.selftest is None
    assert case.kernel_cmdline == "user_pages=64 quiet run parent  x"
    assert case.image_programs() == ["parent", "child"]
    assert case.files == [("a.txt", "in/a.txt"), ("B", "b.txt")]


def test_selftest_frame_cmdline(suite):
    path = write(suite, "p.toml", 'selftest = "panic"\nexpect = "panic"\n')
    case = load_case(path)
    assert case.frame_cmdline == "selftest panic"
    assert case.expect == Expect.PANIC and not case.expect.needs_expected
    assert case.expected is None


@pytest.mark.parametrize("text, message", [
    ('run = "a"\ntimout = 3\n', "unknown key 'timout'"),
    ('timeout = 3\n', "exactly one action"),
    ('run = "a"\nselftest = "b"\n', "found run and selftest"),
    ('run = "a"\nexpect = "crash"\n', "must be one of"),
    ('run = "a"\nuser_pages = 0\n', "at least 1"),
    ('run = "a"\nswap_mb = "4"\n', "must be an integer"),
    ('run = "a"\nmemory = "lots"\n', "size like '64M'"),
    ('run = "a"\nfiles = [3]\n', "entries are paths"),
    ('run = "a"\nfetch = { "out" = "nothere" }\n', "does not exist"),
    ('run = [\n', "invalid TOML"),
    ('run = "a"\nstats = { evictions = "lots" }\n', "is not OP NUMBER"),
    ('run = "a"\nconsole = "x"\n', "list of strings"),
])
def test_invalid_cases(suite, text, message):
    path = write(suite, "bad.toml", text)
    write(suite, "bad.expected", "")
    with pytest.raises(CaseError, match=message):
        load_case(path)


def test_missing_expected_file(suite):
    path = write(suite, "t.toml", 'selftest = "heap"\n')
    with pytest.raises(CaseError, match="expect = 'output' needs t.expected"):
        load_case(path)


def test_case_id(suite):
    key = case_id(str(suite / "args-single.toml"))
    assert key == CaseId("userprog", "args-single")
    assert str(key) == "userprog/args-single"


def test_stats_and_console(suite):
    path = write(suite, "t.toml", 'run = "a"\nstats = { evictions = " > 0" }\n'
                 'console = ["folio: unknown option \'x\' ignored"]\n')
    write(suite, "t.expected", "")
    case = load_case(path)
    assert case.stats == {"evictions": StatCondition(">", 0)}
    assert str(case.stats["evictions"]) == "> 0"
    assert case.console == ["folio: unknown option 'x' ignored"]


def test_io_errors_defaults_and_checks(suite):
    path = write(suite, "e.toml", 'selftest = "x"\nswap_mb = 1\nlog = ["a.*b"]\n'
                 'io_errors = [{ disk = "swap", op = "read", sector = 8 },\n'
                 '  { disk = "payload", op = "write", file = "f", offset = 5,'
                 ' once = true }]\n')
    write(suite, "e.expected", "")
    case = load_case(path)
    assert case.log == ["a.*b"]
    assert case.io_errors == [
        IoError("swap", "read", sector=8),
        IoError("payload", "write", file="f", offset=5, once=True)]


@pytest.mark.parametrize("errors, message", [
    ('[{ disk = "cd", op = "read" }]', "disk must be"),
    ('[{ op = "read" }]', "disk must be"),
    ('[{ disk = "swap", op = "erase" }]', "op must be"),
    ('[{ disk = "swap", op = "read", file = "f" }]', "excludes sector"),
    ('[{ disk = "payload", op = "read", offset = 3 }]', "needs file"),
    ('[{ disk = "payload", op = "read", when = 3 }]', "keys"),
    ('[{ disk = "swap", op = "read" }]', "swap_mb = 0"),
])
def test_io_errors_rejected(suite, errors, message):
    path = write(suite, "e.toml", 'selftest = "x"\nio_errors = %s\n' % errors)
    write(suite, "e.expected", "")
    with pytest.raises(CaseError, match=message):
        load_case(path)


def test_log_pattern_must_compile(suite):
    path = write(suite, "e.toml", 'selftest = "x"\nlog = ["a("]\n')
    write(suite, "e.expected", "")
    with pytest.raises(CaseError, match="not a regular expression"):
        load_case(path)


@pytest.mark.parametrize("text, value, holds", [
    ("> 0", 1, True), ("> 0", 0, False), (">= 2", 2, True), ("< 3", 3, False),
    ("<= 3", 3, True), ("==7", 7, True), ("== 7", 8, False)])
def test_stat_condition(text, value, holds):
    assert StatCondition.parse(text).holds(value) is holds


def test_suite_defaults_and_override(suite):
    write(suite, "suite.toml", 'timeout = 30\nuser_pages = 64\n'
          'selftest = "heap"\nprograms = ["child"]\noptions = "ata=pio"\n')
    path = write(suite, "t.toml", 'run = "parent  x"\ntimeout = 5\n'
                 'programs = ["child", "parent"]\n')
    write(suite, "t.expected", "")
    case = load_case(path)
    assert case.timeout == 5.0 and case.user_pages == 64
    assert case.selftest is None and case.id == "userprog/t"
    assert case.kernel_cmdline == "user_pages=64 ata=pio run parent  x"
    assert case.image_programs() == ["parent", "child"]
    inherits = write(suite, "s.toml", 'expect = "panic"\n')
    assert load_case(inherits).action == "selftest heap"


def test_invalid_suite_file_named(suite):
    write(suite, "suite.toml", 'timout = 30\n')
    path = write(suite, "t.toml", 'selftest = "heap"\n')
    write(suite, "t.expected", "")
    with pytest.raises(CaseError, match=r"suite\.toml: unknown key 'timout'"):
        load_case(path)


def test_suite_file_is_no_case(suite):
    assert is_case_file(str(suite / "a.toml"))
    assert not is_case_file(str(suite / "suite.toml"))
    assert not is_case_file(str(suite / "a.expected"))
