"""Unit tests of test-case loading (harness/cases.py)."""

import pytest

from harness.cases import CaseError, case_id, find_cases, load_case


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


def test_suite_defaults_and_override(suite):
    write(suite, "suite.toml", 'timeout = 30\nuser_pages = 64\n'
          'selftest = "heap"\nprograms = ["child"]\n')
    path = write(suite, "t.toml", 'run = "parent  x"\ntimeout = 5\n'
                 'options = "quiet"\nprograms = ["child", "parent"]\n'
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
    assert not case.needs_expected()


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
    ('run = "a"\nlog = ["(unclosed"]\n', "not a regular expression"),
])
def test_invalid_cases(suite, text, message):
    path = write(suite, "bad.toml", text)
    write(suite, "bad.expected", "")
    with pytest.raises(CaseError, match=message):
        load_case(path)


def test_missing_expected_file(suite):
    path = write(suite, "t.toml", 'selftest = "heap"\n')
    with pytest.raises(CaseError, match="needs t.expected"):
        load_case(path)


def test_find_cases(suite, tmp_path):
    write(suite, "suite.toml", "")
    write(suite, "b.toml", "")
    write(suite, "a.toml", "")
    write(suite, "a.expected", "")
    write(tmp_path / "tests", "top.toml", "")
    found = find_cases(str(tmp_path / "tests"))
    assert [case_id(p) for p in found] == ["userprog/a", "userprog/b"]
    assert find_cases(str(tmp_path / "nothing")) == []


def test_stats_and_console(suite):
    path = write(suite, "t.toml", 'run = "a"\nstats = { evictions = " > 0" }\n'
                 'console = ["folio: unknown option \'x\' ignored"]\n')
    write(suite, "t.expected", "")
    case = load_case(path)
    assert case.stats == {"evictions": "> 0"}
    assert case.console == ["folio: unknown option 'x' ignored"]


def test_log_patterns(suite):
    path = write(suite, "t.toml", "run = \"a\"\nlog = ['^fault: .*#UD']\n")
    write(suite, "t.expected", "")
    assert load_case(path).log == ["^fault: .*#UD"]
