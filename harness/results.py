"""The results of a harness session, for people and for programs.

Every test leaves one typed Record.  A kernel test's is built by
case_record() from its runner.CaseResult in the process that ran it and
travels to the controller as a pytest user property, in the same JSON
form results.json holds (so `-n` changes nothing); a unit test's is made
from its pytest report.  From the same records the controller writes
build/results/results.json and build/results/junit.xml, and ends the run
with the failures grouped by kind and place, then one line per failed
test; `make grade` reads them back from results.json.  Record.to_json()
and Record.from_json() are the only places that know a record's keys,
and they are exact inverses, so records of several runs can be merged
and read like those of one.  The formats are in docs/interfaces.md,
section 7.
"""

import dataclasses
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from harness.compat import StrEnum

RECORD = "folio_record"         # the user property holding a record
SCHEMA = 2                      # results.json's shape (docs/interfaces.md)
UNIT_SUITE = "unit"             # the suite of plain pytest tests
UNIT_KIND = "unit"              # the kind of a failed plain pytest test
# The most lines of a diff a record keeps (the .result file has it all).
DIFF_LINES = 80
DIFF_LINE_CHARS = 200
# The kind of a kernel test during which the harness itself raised (a
# bug, or an OSError writing its files): its reason is the exception.
HARNESS_KIND = "harness"


class Status(StrEnum):
    """A test's outcome; the value is what results.json says."""
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"         # its setup or teardown failed
    SKIPPED = "skipped"

    @property
    def failing(self):
        """True for a test that failed or errored."""
        return self in (Status.FAILED, Status.ERROR)


@dataclass
class Record:
    """The record of one test of a session.

    kind is the failure kind (docs/harness.md, "Reading a failure";
    UNIT_KIND for a failed unit test, HARNESS_KIND for a kernel test the
    harness raised in), None for a pass; kinds every diagnosis of the
    run, the main one first.  module is a unit test's file (None for a
    kernel test); the fields from qemu_seconds on are a kernel test's
    run (None for a unit test).  diff is a failed test's diff (its
    output mismatch), cut to DIFF_LINES lines.  message is the whole
    report of a failure, JUnit's text: results.json leaves it out."""
    id: str
    suite: str
    name: str
    status: Status
    kind: Optional[str] = None
    kinds: List[str] = field(default_factory=list)
    reason: Optional[str] = None
    location: Optional[str] = None
    seconds: float = 0.0
    module: Optional[str] = None
    qemu_seconds: Optional[float] = None
    exit_status: Optional[int] = None
    timed_out: Optional[bool] = None
    baseline: Optional[Dict[str, object]] = None
    accounting: Optional[Dict[str, object]] = None
    counters: Optional[Dict[str, object]] = None
    result_file: Optional[str] = None
    diff: Optional[str] = None
    message: Optional[str] = None

    @property
    def is_unit(self):
        """True for a plain pytest test (not a kernel test)."""
        return self.module is not None

    def to_json(self):
        """Return the record as a JSON object (a dict of plain values)."""
        data = dataclasses.asdict(self)
        data["status"] = str(self.status)
        return data

    @classmethod
    def from_json(cls, data):
        """Return the Record of JSON object DATA (to_json's inverse; a key
        results.json leaves out takes its default).  ValueError on an
        unknown key or status."""
        unknown = set(data) - _FIELDS
        if unknown:
            raise ValueError("unknown record keys: %s"
                             % ", ".join(sorted(unknown)))
        return cls(**dict(data, status=Status(data["status"])))


_FIELDS = {f.name for f in dataclasses.fields(Record)}
# What results.json leaves out of a record: the whole failure report
# (junit.xml has it; the reason and the result file name say enough).
JSON_OMITS = ("message",)


def case_record(result):
    """Return the Record of a kernel test from its runner.CaseResult."""
    verdict, run = result.verdict, result.run
    return Record(
        id=str(result.key), suite=result.key.suite, name=result.key.name,
        status=Status.PASSED if verdict.passed else Status.FAILED,
        kind=str(verdict.kind) if verdict.kind else None,
        kinds=[str(d.kind) for d in verdict.diagnoses],
        reason=verdict.reason, location=verdict.location,
        seconds=round(run.end.seconds, 3),
        qemu_seconds=round(run.end.seconds, 3),
        exit_status=run.end.status, timed_out=run.end.timed_out,
        baseline=run.baseline, accounting=run.final, counters=run.counters,
        result_file=result.paths.result,
        diff=None if verdict.passed else bounded_diff(
            verdict.diagnoses, result.paths.result))


def bounded_diff(diagnoses, result_file):
    """Return the diff of the first of DIAGNOSES that has one, at most
    DIFF_LINES lines of at most DIFF_LINE_CHARS characters, a cut one
    ending with a line that says how much is left and where it is; None
    when none has a diff."""
    diff = next((d.diff for d in diagnoses if d.diff), None)
    if diff is None:
        return None
    lines = diff.splitlines()
    kept = [line if len(line) <= DIFF_LINE_CHARS else
            line[:DIFF_LINE_CHARS] + "..." for line in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        kept.append("... %d more lines in %s" % (len(lines) - DIFF_LINES,
                                                 result_file))
    return "\n".join(kept)


def _crash_reason(report):
    """The one-line reason of a failed or skipped pytest REPORT: the
    exception's first line, or the skip's reason."""
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        text = crash.message if crash else str(report.longrepr).strip()
        return text.split("\n")[0]
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    return None


def _status(report):
    """The Status of pytest REPORT (a failed setup or teardown is an
    error)."""
    if report.when != "call" and report.failed:
        return Status.ERROR
    return Status(report.outcome)


def unit_record(report):
    """Return the Record of a pytest REPORT that has no harness record: a
    unit test of the harness itself, or a kernel test (its node id names
    a case file, `tests/SUITE/NAME.toml::SUITE/NAME`) during which the
    harness raised before it made one (kind HARNESS_KIND)."""
    module, _, name = report.nodeid.partition("::")
    failed = report.failed
    if module.endswith(".toml"):
        suite, _, case = name.partition("/")
        return Record(
            id=name, suite=suite, name=case, status=_status(report),
            kind=HARNESS_KIND if failed else None,
            kinds=[HARNESS_KIND] if failed else [],
            reason=_crash_reason(report), seconds=round(report.duration, 3),
            message=report.longreprtext if failed else None)
    return Record(
        id=report.nodeid, suite=UNIT_SUITE, name=name or module,
        module=module, status=_status(report),
        kind=UNIT_KIND if failed else None,
        kinds=[UNIT_KIND] if failed else [],
        reason=_crash_reason(report),
        location=module if failed else None,
        seconds=round(report.duration, 3),
        message=report.longreprtext if failed else None)


_COLOR_RE = re.compile(r"\x1b\[[0-9;]*m")


def plain(text):
    """TEXT without the ANSI colours of a terminal report."""
    return _COLOR_RE.sub("", text)


class Collector:
    """Keeps the record of every test as its reports arrive (in the
    controller, with or without xdist)."""

    def __init__(self):
        self.records = {}

    def add(self, report):
        """Take a pytest TestReport: the call phase's outcome (its
        duration is the test's `seconds`; a kernel test's failure report
        is its message), or a setup or teardown that failed (the test
        becomes an error) or skipped it."""
        own = next((Record.from_json(value) for name, value
                    in report.user_properties if name == RECORD), None)
        if report.when == "call":
            record = own or unit_record(report)
            record.seconds = round(report.duration, 3)
            if own and report.failed:       # CaseItem.repr_failure's text
                record.message = plain(str(report.longrepr))
        elif report.failed or (report.skipped and
                               report.nodeid not in self.records):
            fallback = unit_record(report)
            base = self.records.get(report.nodeid) or own
            record = dataclasses.replace(base, status=fallback.status,
                                         reason=fallback.reason) \
                if base else fallback
        else:
            return
        self.records[report.nodeid] = record

    def ordered(self):
        """Return the records sorted as ordered() sorts them."""
        return ordered(self.records.values())


def ordered(records):
    """Return RECORDS sorted by suite (unit tests last), then id."""
    return sorted(records, key=lambda r: (r.suite == UNIT_SUITE, r.suite,
                                          r.id))


def totals(records):
    """Return {status: count} over RECORDS."""
    return dict(Counter(str(r.status) for r in records))


def session_json(records):
    """Return results.json's object for RECORDS: {"schema", "totals",
    "tests": {id: record}} (records without what JSON_OMITS)."""
    tests = {}
    for record in records:
        data = record.to_json()
        for key in JSON_OMITS:
            del data[key]
        tests[record.id] = data
    return {"schema": SCHEMA, "totals": totals(records), "tests": tests}


def records_from_json(data):
    """Return {id: Record} of results.json's object DATA; ValueError when
    it is not of this SCHEMA."""
    if data.get("schema") != SCHEMA:
        raise ValueError("schema %r, this harness reads schema %d"
                         % (data.get("schema"), SCHEMA))
    return {test_id: Record.from_json(record)
            for test_id, record in data["tests"].items()}


def write_json(path, records):
    """Write results.json for RECORDS to PATH."""
    write_atomically(path, json.dumps(session_json(records), indent=1,
                                       sort_keys=True) + "\n")


def load_json(path):
    """Return {id: Record} of the results.json at PATH; OSError,
    ValueError or KeyError when it cannot be read."""
    with open(path) as src:
        return records_from_json(json.load(src))


def junit_tree(records):
    """Return the JUnit XML ElementTree of RECORDS: one testsuite per
    suite, classname `folio.SUITE` for kernel tests (the module path for
    unit tests), the failure kind as the failure's `type` and as a
    `kind` property, the one-line reason as its message and the whole
    report as its text."""
    root = ET.Element("testsuites", name="folio")
    suites = {}
    for record in records:
        suites.setdefault(record.suite, []).append(record)
    for suite, members in suites.items():
        counts = totals(members)
        element = ET.SubElement(
            root, "testsuite", name=suite, tests=str(len(members)),
            failures=str(counts.get(Status.FAILED, 0)),
            errors=str(counts.get(Status.ERROR, 0)),
            skipped=str(counts.get(Status.SKIPPED, 0)),
            time="%.3f" % sum(r.seconds for r in members))
        for record in members:
            _testcase(element, record)
    counts = totals(records)
    root.set("tests", str(len(records)))
    for attribute, status in (("failures", Status.FAILED),
                              ("errors", Status.ERROR),
                              ("skipped", Status.SKIPPED)):
        root.set(attribute, str(counts.get(status, 0)))
    return ET.ElementTree(root)


def junit_key(record):
    """Return (classname, name) of RECORD's <testcase>: `folio.SUITE` for
    a kernel test, the module path for a unit test."""
    if record.is_unit:
        classname = record.module[:-len(".py")].replace("/", ".") \
            if record.module.endswith(".py") else record.module
    else:
        classname = "folio." + record.suite
    return classname, record.name


def _testcase(parent, record):
    """Add the <testcase> of RECORD to PARENT."""
    classname, name = junit_key(record)
    case = ET.SubElement(parent, "testcase", classname=classname,
                         name=name, time="%.3f" % record.seconds)
    if record.kind:
        properties = ET.SubElement(case, "properties")
        for name in ("kind", "location"):
            if getattr(record, name):
                ET.SubElement(properties, "property", name=name,
                              value=str(getattr(record, name)))
    if record.status.failing:
        tag = "failure" if record.status == Status.FAILED else "error"
        outcome = ET.SubElement(case, tag,
                                type=record.kind or str(record.status),
                                message=record.reason or "")
        outcome.text = record.message or record.reason or ""
    elif record.status == Status.SKIPPED:
        ET.SubElement(case, "skipped", message=record.reason or "")


def write_junit(path, records):
    """Write the JUnit XML of RECORDS to PATH."""
    tree = junit_tree(records)
    ET.indent(tree)
    text = ET.tostring(tree.getroot(), encoding="unicode",
                       xml_declaration=True)
    write_atomically(path, text + "\n")


def write_atomically(path, text):
    """Write TEXT to PATH through a temporary file of its own (two
    sessions in one tree may write at once) and a rename."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(
        dir=directory, prefix=os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def summary_lines(records):
    """Return the closing summary of the failed RECORDS: the failures
    grouped by kind and place with their counts (most first), then one
    line per failed test with its whole reason; empty when all passed."""
    failed = [r for r in records if r.status.failing]
    if not failed:
        return []
    groups = Counter((r.kind or str(r.status), r.location or "")
                     for r in failed)
    width = max(len(kind) for kind, _ in groups)
    lines = ["failures by kind and place:"]
    for (kind, location), count in sorted(groups.items(),
                                          key=lambda g: (-g[1], g[0])):
        lines.append("  %4d x %-*s  %s" % (count, width, kind,
                                          location or "-"))
    lines += ["", "failed tests:"]
    for record in failed:
        word = "FAILED" if record.status == Status.FAILED else "ERROR"
        lines.append("%s %s: %s" % (word, record.id, record.reason))
    return lines
