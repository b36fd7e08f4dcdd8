"""Test cases: `harness/tests/<suite>/<name>.toml` (+ `<name>.expected`),
with defaults from `harness/tests/<suite>/suite.toml`
(docs/interfaces.md, section 6; docs/harness.md).

Loading checks every key and its type, so a typo in a test file is
reported as a failure of that test, with the file and key named.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Tuple

from harness.compat import StrEnum, tomllib
from harness.expected import Expected, load_expected
from images.payload import compose_cmdline

SUITE_FILE = "suite.toml"
ACTIONS = ("run", "selftest")
_MEMORY_RE = re.compile(r"^\d+[KMGT]?$")


class CaseError(Exception):
    """A test case file is invalid; the message names the file and key."""


class CaseId(NamedTuple):
    """A test's id: its suite (the folder) and name (the file's stem);
    shown as `suite/name`."""
    suite: str
    name: str

    def __str__(self):
        return "%s/%s" % (self.suite, self.name)


def is_case_file(path):
    """Return True when PATH names a test case file: a `.toml` other than
    its suite's defaults."""
    name = os.path.basename(path)
    return name.endswith(".toml") and name != SUITE_FILE


def case_id(path):
    """Return the CaseId of the case file at PATH
    (`.../<suite>/<name>.toml`)."""
    suite = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return CaseId(suite, os.path.basename(path)[:-len(".toml")])


def is_case_in(path, tests_dir):
    """Return True when PATH is a test case file of a suite directly
    under TESTS_DIR (`TESTS_DIR/<suite>/<name>.toml`)."""
    return is_case_file(path) and os.path.realpath(
        os.path.dirname(os.path.dirname(os.path.abspath(path)))) == \
        os.path.realpath(tests_dir)


def case_file(tests_dir, test):
    """Return the case file of TEST (`suite/name`) under TESTS_DIR."""
    return os.path.join(tests_dir, test + ".toml")


def suite_cases(tests_dir, suite):
    """Return the CaseIds of the test cases of SUITE on disk under
    TESTS_DIR, sorted by name (none when the suite has no folder)."""
    directory = os.path.join(tests_dir, suite)
    if not os.path.isdir(directory):
        return []
    return sorted(case_id(os.path.join(directory, entry))
                  for entry in os.listdir(directory) if is_case_file(entry))


class Expect(StrEnum):
    """A test's `expect` setting: how its run must end.  The value is
    the word in the .toml file."""
    OUTPUT = "output"
    PANIC = "panic"
    HANG = "hang"
    TIMEOUT = "timeout"
    RESET = "reset"
    MISMATCH = "mismatch"
    REFUSED = "refused"

    @property
    def wanted(self):
        """How a failure message names what was wanted."""
        return _WANTED[self]

    @property
    def needs_expected(self):
        """True when the run's frame is compared with `.expected`."""
        return self in (Expect.OUTPUT, Expect.MISMATCH)


_WANTED = {
    Expect.OUTPUT: "a clean run",
    Expect.PANIC: "a kernel panic with a symbolized backtrace",
    Expect.HANG: "the kernel to report a hang (a deadlock or a soft lockup) "
                 "with symbolized stacks",
    Expect.TIMEOUT: "the watchdog to fire (a hang)",
    Expect.RESET: "a guest reset (triple fault)",
    Expect.MISMATCH: "the frame NOT to match its expected file",
    Expect.REFUSED: "the kernel to refuse its command line",
}


_STAT_RE = re.compile(r"^(<=|>=|==|<|>)\s*(\d+)$")
_STAT_OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
             ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
             "==": lambda a, b: a == b}


class StatCondition(NamedTuple):
    """A `stats` condition, `OP NUMBER`, parsed when the case loads."""
    op: str
    number: int

    @classmethod
    def parse(cls, text):
        """Return the condition TEXT (`> 0`); ValueError if it is not
        OP NUMBER."""
        match = _STAT_RE.match(text.strip())
        if not match:
            raise ValueError(text)
        return cls(match.group(1), int(match.group(2)))

    def holds(self, value):
        """Return True when counter VALUE satisfies the condition."""
        return _STAT_OPS[self.op](int(value), self.number)

    def __str__(self):
        return "%s %d" % (self.op, self.number)


@dataclass(frozen=True)
class IoError:
    """An `io_errors` entry, checked when the case loads: requests of kind
    op (read or write) on disk (payload or swap) fail with an I/O error;
    at sector, or at byte offset of file on the payload disk, or anywhere
    when both are None; once: only the first such request."""
    disk: str
    op: str
    sector: Optional[int] = None
    file: Optional[str] = None
    offset: int = 0
    once: bool = False


@dataclass
class Case:
    """One test case with its settings resolved (its suite's defaults,
    then the built-in defaults, for those it omits)."""
    key: CaseId
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
    disk_inodes: int = 256
    fsck: bool = False
    timeout: float = 60
    expect: Expect = Expect.OUTPUT
    fetch: Dict[str, str] = field(default_factory=dict)
    stats: Dict[str, StatCondition] = field(default_factory=dict)
    debug_exit: bool = True
    console: List[str] = field(default_factory=list)
    report: List[str] = field(default_factory=list)
    log: List[str] = field(default_factory=list)
    io_errors: List[IoError] = field(default_factory=list)
    # The parsed `.expected` file (when expect needs one), read by
    # load_case().
    expected: Optional[Expected] = None

    @property
    def id(self):
        """The test id, `suite/name`."""
        return str(self.key)

    def path(self, suffix):
        """Return the path of this case's file ending in SUFFIX."""
        return os.path.join(self.directory, self.key.name + suffix)

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

    def line_naming(self, word):
        """Return `FILE:LINE` of the first line (not a comment) of this
        case's .toml, or else of its suite.toml, that holds WORD (an option the kernel
        refused), or None when neither does."""
        for path in (self.path(".toml"),
                     os.path.join(self.directory, SUITE_FILE)):
            try:
                with open(path, encoding="utf-8", errors="replace") as src:
                    for number, line in enumerate(src, start=1):
                        if word in line and \
                                not line.lstrip().startswith("#"):
                            return "%s:%d" % (path, number)
            except OSError:
                continue
        return None

    @property
    def expected_name(self):
        """The `.expected` file's name, as reports name it."""
        return os.path.basename(self.path(".expected"))


def read_toml(path):
    """Return the table in toml file PATH; CaseError if it does not parse."""
    try:
        with open(path, "rb") as src:
            return tomllib.load(src)
    except tomllib.TOMLDecodeError as err:
        raise CaseError("%s: invalid TOML: %s" % (path, err)) from None
    except OSError as err:
        raise CaseError("%s: %s" % (path, err.strerror)) from None


def load_case(path):
    """Load the test case file at PATH with the defaults of its suite's
    suite.toml, if there is one (the case's own keys win; its action
    replaces the suite's), and its `.expected` file when it needs one;
    CaseError if either .toml file is invalid, ExpectedFormatError if the
    `.expected` file is."""
    directory = os.path.dirname(os.path.abspath(path))
    settings = {}
    suite_path = os.path.join(directory, SUITE_FILE)
    if os.path.exists(suite_path):
        settings.update(_check_keys(read_toml(suite_path), suite_path))
    own = _check_keys(read_toml(path), path)
    if any(key in own for key in ACTIONS):
        for key in ACTIONS:
            settings.pop(key, None)
    settings.update(own)
    case = Case(key=case_id(path), directory=directory)
    for key, value in settings.items():
        setattr(case, key, value)
    _check_case(case, path)
    if case.expect.needs_expected:
        case.expected = load_expected(case.path(".expected"))
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
    """Check the expect setting; return its Expect."""
    if value not in tuple(Expect):
        raise ValueError("must be one of %s, not %r"
                         % (", ".join(Expect), value))
    return Expect(value)


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


def _stats(value):
    """Check the stats table: counter name -> condition such as "> 0"."""
    if not isinstance(value, dict):
        raise TypeError("must be a table { COUNTER = \"> 0\" }")
    out = {}
    for key, cond in value.items():
        try:
            out[_word(key)] = StatCondition.parse(_string(cond))
        except (TypeError, ValueError):
            raise TypeError("%s: condition %r is not OP NUMBER (OP one of "
                            "< <= > >= ==)" % (key, cond)) from None
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
    """Check a list of regular expressions."""
    for pattern in _lines(value):
        try:
            re.compile(pattern)
        except re.error as err:
            raise ValueError("%r is not a regular expression: %s"
                             % (pattern, err)) from None
    return list(value)


_IO_ERROR_KEYS = {"disk", "op", "sector", "file", "offset", "once"}


def _io_error(item):
    """Check one injected disk error and return its IoError (defaults
    filled in)."""
    if not isinstance(item, dict) or not set(item) <= _IO_ERROR_KEYS:
        raise TypeError("entries are tables with keys %s, not %r"
                        % (", ".join(sorted(_IO_ERROR_KEYS)), item))
    error = IoError(item.get("disk"), item.get("op"), item.get("sector"),
                    item.get("file"), item.get("offset", 0),
                    item.get("once", False))
    if error.disk not in ("payload", "swap"):
        raise ValueError("disk must be \"payload\" or \"swap\", not %r"
                         % error.disk)
    if error.op not in ("read", "write"):
        raise ValueError("op must be \"read\" or \"write\", not %r"
                         % error.op)
    if error.sector is not None:
        _count(0)(error.sector)
    _count(0)(error.offset)
    _boolean(error.once)
    if error.file is not None:
        _word(error.file)
        if error.sector is not None or error.disk != "payload":
            raise ValueError("file = ... names a place on the payload disk; "
                             "it excludes sector = ...")
    elif "offset" in item:
        raise ValueError("offset = ... needs file = ...")
    return error


def _io_errors(value):
    """Check the list of injected disk errors."""
    if not isinstance(value, list):
        raise TypeError("must be a list of tables")
    return [_io_error(item) for item in value]


_CHECKERS = {
    "run": _word, "selftest": _word, "programs": _programs, "files": _files,
    "options": _string, "user_pages": _count(1), "memory": _memory,
    "swap_mb": _count(0), "disk_free_kb": _count(0), "disk_inodes": _count(1),
    "fsck": _boolean, "timeout": _seconds,
    "expect": _expect, "fetch": _fetch, "stats": _stats, "console": _lines,
    "debug_exit": _boolean, "report": _patterns, "log": _patterns,
    "io_errors": _io_errors,
}


def _check_case(case, path):
    """Check the settings of CASE as a whole (CaseError if they clash)."""
    actions = [key for key in ACTIONS if getattr(case, key) is not None]
    if len(actions) != 1:
        raise CaseError("%s: needs exactly one action (`run` or `selftest`), "
                        "found %s" % (path, " and ".join(actions) or "none"))
    if case.expect.needs_expected and \
            not os.path.exists(case.path(".expected")):
        raise CaseError("%s: expect = %r needs %s" % (
            path, str(case.expect), case.expected_name))
    if any(e.disk == "swap" for e in case.io_errors) and case.swap_mb == 0:
        raise CaseError("%s: io_errors on the swap disk, but swap_mb = 0" % path)
    for image_name, expected_file in case.fetch.items():
        if not os.path.exists(os.path.join(case.directory, expected_file)):
            raise CaseError("%s: fetch %r: %s does not exist beside the test"
                            % (path, image_name, expected_file))
