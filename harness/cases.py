"""Test cases: `harness/tests/<suite>/<name>.toml` (+ `<name>.expected`),
with defaults from `harness/tests/<suite>/suite.toml`
(docs/interfaces.md, section 6; docs/harness.md).

Loading checks every key and its type, so a typo in a test file is
reported as a failure of that test, with the file and key named.
"""

import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from harness.classify import EXPECT_VALUES
from images.payload import compose_cmdline

SUITE_FILE = "suite.toml"
ACTIONS = ("run", "selftest")
_MEMORY_RE = re.compile(r"^\d+[KMGT]?$")


class CaseError(Exception):
    """A test case file is invalid; the message names the file and key."""


@dataclass
class Case:
    """One test case with its settings resolved (suite defaults applied)."""
    suite: str
    name: str
    directory: str
    run: Optional[str] = None
    selftest: Optional[str] = None
    programs: List[str] = field(default_factory=list)
    files: List[Tuple[str, str]] = field(default_factory=list)
    options: str = ""
    user_pages: Optional[int] = None
    memory: str = "64M"
    swap_mb: int = 0
    disk_free_kb: int = 1024
    timeout: float = 60
    expect: str = "output"
    fetch: Dict[str, str] = field(default_factory=dict)
    stats: Dict[str, str] = field(default_factory=dict)
    debug_exit: bool = True
    console: List[str] = field(default_factory=list)
    log: List[str] = field(default_factory=list)

    @property
    def id(self):
        """The test id, `suite/name`."""
        return "%s/%s" % (self.suite, self.name)

    def path(self, suffix):
        """Return the path of this case's file ending in SUFFIX."""
        return os.path.join(self.directory, self.name + suffix)

    @property
    def action(self):
        """The action words of the kernel command line."""
        if self.run is not None:
            return "run " + self.run
        return "selftest " + self.selftest

    @property
    def frame_cmdline(self):
        """The CMDLINE the console frame names: the program's command line
        for `run`, `selftest NAME` for a self-test."""
        return self.run if self.run is not None else self.action

    @property
    def kernel_cmdline(self):
        """The whole kernel command line put in the environment block."""
        return compose_cmdline(self.action, self.options, self.user_pages)

    def image_programs(self):
        """Return the programs to put on the disk: the run program first,
        then `programs`, without repeats."""
        names = [self.run.split()[0]] if self.run else []
        return names + [p for p in self.programs if p not in names]

    def needs_expected(self):
        """Return True when the case compares its frame with .expected."""
        return self.expect in ("output", "mismatch")


def find_cases(tests_dir):
    """Return the sorted paths of every `<suite>/<name>.toml` test case."""
    found = []
    if not os.path.isdir(tests_dir):
        return found
    for suite in sorted(os.listdir(tests_dir)):
        suite_dir = os.path.join(tests_dir, suite)
        if not os.path.isdir(suite_dir):
            continue
        for entry in sorted(os.listdir(suite_dir)):
            if entry.endswith(".toml") and entry != SUITE_FILE:
                found.append(os.path.join(suite_dir, entry))
    return found


def case_id(path):
    """Return the `suite/name` id of the case file at PATH."""
    suite = os.path.basename(os.path.dirname(path))
    return "%s/%s" % (suite, os.path.basename(path)[:-len(".toml")])


def _read_toml(path):
    """Return the table in toml file PATH; CaseError if it does not parse."""
    try:
        with open(path, "rb") as src:
            return tomllib.load(src)
    except tomllib.TOMLDecodeError as err:
        raise CaseError("%s: invalid TOML: %s" % (path, err)) from None
    except OSError as err:
        raise CaseError("%s: %s" % (path, err.strerror)) from None


def load_case(path):
    """Load the test case file at PATH (with its suite defaults)."""
    directory = os.path.dirname(os.path.abspath(path))
    settings = {}
    suite_path = os.path.join(directory, SUITE_FILE)
    if os.path.exists(suite_path):
        settings.update(_check_keys(_read_toml(suite_path), suite_path))
    own = _check_keys(_read_toml(path), path)
    if any(key in own for key in ACTIONS):
        for key in ACTIONS:
            settings.pop(key, None)
    settings.update(own)
    suite = os.path.basename(directory)
    case = Case(suite=suite, name=os.path.basename(path)[:-len(".toml")],
                directory=directory)
    for key, value in settings.items():
        setattr(case, key, value)
    _check_case(case, path)
    return case


def _check_keys(table, path):
    """Return TABLE with every key checked and normalized (CaseError on an
    unknown key or a wrong type)."""
    checked = {}
    for key, value in table.items():
        checker = _CHECKERS.get(key)
        if checker is None:
            raise CaseError("%s: unknown key %r (known: %s)"
                            % (path, key, ", ".join(sorted(_CHECKERS))))
        try:
            checked[key] = checker(value)
        except (TypeError, ValueError) as err:
            raise CaseError("%s: key %r: %s" % (path, key, err)) from None
    return checked


def _string(value):
    """Check a string setting."""
    if not isinstance(value, str):
        raise TypeError("must be a string, not %r" % (value,))
    return value


def _word(value):
    """Check a non-empty string setting."""
    if not _string(value).strip():
        raise ValueError("must not be empty")
    return value


def _count(minimum):
    """Return a checker of an integer setting >= MINIMUM."""
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("must be an integer, not %r" % (value,))
        if value < minimum:
            raise ValueError("must be at least %d" % minimum)
        return value
    return check


def _seconds(value):
    """Check the timeout: a positive number of seconds."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError("must be a number of seconds, not %r" % (value,))
    if value <= 0:
        raise ValueError("must be positive")
    return float(value)


def _memory(value):
    """Check guest memory, a QEMU size like `64M`."""
    if not _MEMORY_RE.match(_string(value)):
        raise ValueError("must be a size like '64M', not %r" % value)
    return value


def _expect(value):
    """Check the expect setting."""
    if value not in EXPECT_VALUES:
        raise ValueError("must be one of %s, not %r"
                         % (", ".join(EXPECT_VALUES), value))
    return value


def _programs(value):
    """Check the list of program names."""
    if not isinstance(value, list):
        raise TypeError("must be a list of program names")
    return [_word(v) for v in value]


def _files(value):
    """Normalize `files` to (image name, path under userland/data/)."""
    if not isinstance(value, list):
        raise TypeError("must be a list")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append((os.path.basename(item), item))
        elif isinstance(item, dict) and set(item) <= {"src", "name"} \
                and "src" in item:
            src = _word(item["src"])
            out.append((_word(item.get("name", os.path.basename(src))), src))
        else:
            raise TypeError("entries are paths or { src = ..., name = ... }, "
                            "not %r" % (item,))
    return out


def _fetch(value):
    """Check the fetch table: image name -> expected file beside the test."""
    if not isinstance(value, dict):
        raise TypeError("must be a table { \"IMAGE-NAME\" = \"FILE\" }")
    return {_word(k): _word(v) for k, v in value.items()}


_STAT_RE = re.compile(r"^(<=|>=|==|<|>)\s*(\d+)$")


def _stats(value):
    """Check the stats table: counter name -> condition such as "> 0"."""
    if not isinstance(value, dict):
        raise TypeError("must be a table { COUNTER = \"> 0\" }")
    out = {}
    for key, cond in value.items():
        if not isinstance(cond, str) or not _STAT_RE.match(cond.strip()):
            raise TypeError("%s: condition %r is not OP NUMBER (OP one of "
                            "< <= > >= ==)" % (key, cond))
        out[_word(key)] = cond.strip()
    return out


def _boolean(value):
    """Check a true/false setting."""
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _lines(value):
    """Check a list of whole console lines."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("must be a list of strings")
    return list(value)


def _patterns(value):
    """Check a list of regular expressions (for lines of the kernel log)."""
    for pattern in _lines(value):
        try:
            re.compile(pattern)
        except re.error as err:
            raise ValueError("%r is not a regular expression: %s"
                             % (pattern, err)) from None
    return list(value)


_CHECKERS = {
    "run": _word, "selftest": _word, "programs": _programs, "files": _files,
    "options": _string, "user_pages": _count(1), "memory": _memory,
    "swap_mb": _count(0), "disk_free_kb": _count(0), "timeout": _seconds,
    "expect": _expect, "fetch": _fetch, "stats": _stats, "console": _lines,
    "debug_exit": _boolean, "log": _patterns,
}


def _check_case(case, path):
    """Check the settings of CASE as a whole (CaseError if they clash)."""
    actions = [key for key in ACTIONS if getattr(case, key) is not None]
    if len(actions) != 1:
        raise CaseError("%s: needs exactly one action (`run` or `selftest`), "
                        "found %s" % (path, " and ".join(actions) or "none"))
    if case.needs_expected() and not os.path.exists(case.path(".expected")):
        raise CaseError("%s: expect = %r needs %s" % (
            path, case.expect, os.path.basename(case.path(".expected"))))
    for image_name, expected_file in case.fetch.items():
        if not os.path.exists(os.path.join(case.directory, expected_file)):
            raise CaseError("%s: fetch %r: %s does not exist beside the test"
                            % (path, image_name, expected_file))
