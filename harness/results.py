"""The results of a harness session, for people and for programs.

Every test leaves one record (a dict): a kernel test's is built by
case_record() in the process that ran it and travels to the controller
as a pytest user property (so `-n` changes nothing), a unit test's is
made from its pytest report.  From the same records the controller
writes build/results/results.json and build/results/junit.xml, and ends
the run with the failures grouped by kind and place, then one line per
failed test.  The formats are in docs/interfaces.md, section 7.
"""

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter

RECORD = "folio_record"         # the user property holding a record
SCHEMA = 1


def case_record(result):
    """Return the record of a kernel test from its runner.CaseResult."""
    verdict, run = result.verdict, result.run
    return {
        "id": str(result.key), "suite": result.key.suite,
        "name": result.key.name,
        "status": "passed" if verdict.passed else "failed",
        "kind": str(verdict.kind) if verdict.kind else None,
        "kinds": [str(d.kind) for d in verdict.diagnoses],
        "reason": verdict.reason, "location": verdict.location,
        "seconds": round(run.duration, 3),
        "qemu_seconds": round(run.duration, 3),
        "exit_status": run.status, "timed_out": run.timed_out,
        "baseline": run.baseline, "accounting": run.final,
        "counters": run.counters,
        "result_file": result.paths.result,
        "message": result.message,
    }


def unit_record(report):
    """Return the record of a pytest REPORT that has no harness record (a
    unit test of the harness itself)."""
    status = report.outcome
    if report.when != "call" and report.failed:
        status = "error"
    reason = None
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        text = crash.message if crash else str(report.longrepr).strip()
        reason = text.split("\n")[0]
    elif report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
    module, _, name = report.nodeid.partition("::")
    return {"id": report.nodeid, "suite": "unit", "name": name or module,
            "module": module, "status": status,
            "kind": "unit" if report.failed else None,
            "kinds": ["unit"] if report.failed else [],
            "reason": reason, "location": module if report.failed else None,
            "seconds": round(report.duration, 3),
            "message": report.longreprtext if report.failed else None}


class Collector:
    """Keeps the record of every test as its reports arrive (in the
    controller, with or without xdist)."""

    def __init__(self):
        self.records = {}

    def add(self, report):
        """Take a pytest TestReport: the call phase's outcome (its
        duration is the test's `seconds`), or a setup or teardown that
        failed (the test becomes an error) or skipped it."""
        own = next((value for name, value in report.user_properties
                    if name == RECORD), None)
        if report.when == "call":
            record = dict(own or unit_record(report),
                          seconds=round(report.duration, 3))
        elif report.failed or (report.skipped and
                               report.nodeid not in self.records):
            fallback = unit_record(report)
            base = self.records.get(report.nodeid) or own
            record = dict(base, status=fallback["status"],
                          reason=fallback["reason"]) if base else fallback
        else:
            return
        self.records[report.nodeid] = record

    def ordered(self):
        """Return the records sorted by suite, then id."""
        return sorted(self.records.values(),
                      key=lambda r: (r["suite"] == "unit", r["suite"],
                                     r["id"]))


def totals(records):
    """Return {status: count} over RECORDS."""
    return dict(Counter(r["status"] for r in records))


def write_json(path, records):
    """Write results.json: {"schema", "totals", "tests": {id: record}}
    (records without their long message)."""
    tests = {r["id"]: {k: v for k, v in r.items() if k != "message"}
             for r in records}
    data = {"schema": SCHEMA, "totals": totals(records), "tests": tests}
    _write_atomically(path, json.dumps(data, indent=1, sort_keys=True) + "\n")


def junit_tree(records):
    """Return the JUnit XML ElementTree of RECORDS: one testsuite per
    suite, classname `folio.SUITE` for kernel tests (the module path for
    unit tests), the failure kind as the failure's `type` and as a
    `kind` property, the one-line reason as its message and the whole
    report as its text."""
    root = ET.Element("testsuites", name="folio")
    suites = {}
    for record in records:
        suites.setdefault(record["suite"], []).append(record)
    for suite, members in suites.items():
        counts = totals(members)
        element = ET.SubElement(
            root, "testsuite", name=suite, tests=str(len(members)),
            failures=str(counts.get("failed", 0)),
            errors=str(counts.get("error", 0)),
            skipped=str(counts.get("skipped", 0)),
            time="%.3f" % sum(r["seconds"] for r in members))
        for record in members:
            _testcase(element, record)
    counts = totals(records)
    root.set("tests", str(len(records)))
    for attribute, status in (("failures", "failed"), ("errors", "error"),
                              ("skipped", "skipped")):
        root.set(attribute, str(counts.get(status, 0)))
    return ET.ElementTree(root)


def _testcase(parent, record):
    """Add the <testcase> of RECORD to PARENT."""
    if record["suite"] == "unit":
        classname = record["module"][:-len(".py")].replace("/", ".") \
            if record["module"].endswith(".py") else record["module"]
    else:
        classname = "folio." + record["suite"]
    case = ET.SubElement(parent, "testcase", classname=classname,
                         name=record["name"], time="%.3f" % record["seconds"])
    if record["kind"]:
        properties = ET.SubElement(case, "properties")
        for name in ("kind", "location"):
            if record.get(name):
                ET.SubElement(properties, "property", name=name,
                              value=str(record[name]))
    status = record["status"]
    if status in ("failed", "error"):
        tag = "failure" if status == "failed" else "error"
        outcome = ET.SubElement(case, tag, type=record["kind"] or status,
                                message=record["reason"] or "")
        outcome.text = record.get("message") or record["reason"] or ""
    elif status == "skipped":
        ET.SubElement(case, "skipped", message=record["reason"] or "")


def write_junit(path, records):
    """Write the JUnit XML of RECORDS to PATH."""
    tree = junit_tree(records)
    ET.indent(tree)
    text = ET.tostring(tree.getroot(), encoding="unicode",
                       xml_declaration=True)
    _write_atomically(path, text + "\n")


def _write_atomically(path, text):
    """Write TEXT to PATH through a temporary file and a rename."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".tmp"
    with open(temporary, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def summary_lines(records):
    """Return the closing summary of the failed RECORDS: the failures
    grouped by kind and place with their counts (most first), then one
    line per failed test with its whole reason; empty when all passed."""
    failed = [r for r in records if r["status"] in ("failed", "error")]
    if not failed:
        return []
    groups = Counter((r["kind"] or r["status"], r["location"] or "")
                     for r in failed)
    width = max(len(kind) for kind, _ in groups)
    lines = ["failures by kind and place:"]
    for (kind, location), count in sorted(groups.items(),
                                          key=lambda g: (-g[1], g[0])):
        lines.append("  %4d x %-*s  %s" % (count, width, kind,
                                          location or "-"))
    lines += ["", "failed tests:"]
    for record in failed:
        word = "FAILED" if record["status"] == "failed" else "ERROR"
        lines.append("%s %s: %s" % (word, record["id"], record["reason"]))
    return lines
