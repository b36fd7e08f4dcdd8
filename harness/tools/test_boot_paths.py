"""The two boot paths give a program the same machine: twenty test
programs booted through the ISO (SeaBIOS, GRUB, multiboot2) and directly
(QEMU's -kernel, PVH, qboot where QEMU has it) print the same console,
byte for byte, end with the same accounting figures (but the durations,
which no two runs share), and the kernel reads the same command line both
ways (docs/interfaces.md, section 1)."""

import dataclasses
import re

import pytest

from harness import console, isogroup
from harness.cases import CaseId
from harness.runner import run_case
from harness.tools.support import REPO

# The programs, and the ISO group's marker: their ISO runs count for their
# suites' share of the ISO group (harness/isogroup.py).
PROGRAMS = list(isogroup.BOTH_WAYS)
pytestmark = getattr(pytest.mark, isogroup.MARKER)
COMMAND_LINE = re.compile(r"^booted by (\S+); command line: '(.*)'$")


def boot(folio, tmp_path, case_id, via):
    """Run test CASE_ID booted VIA `iso` or `direct`, its results in a
    folder of TMP_PATH; return (its CaseResult, protocol, command line)."""
    cfg = dataclasses.replace(folio, via=via, iso_group=frozenset(),
                              results_dir=str(tmp_path / via), note=None)
    result = run_case("%s/harness/tests/%s.toml" % (REPO, case_id), cfg)
    assert result.verdict.passed, result.failure_message()
    found = [COMMAND_LINE.match(line)
             for line in console.split_lines(result.run.log)]
    found = [m for m in found if m]
    assert len(found) == 1, result.run.log
    return result, found[0].group(1), found[0].group(2)


def accounting_figures(log):
    """The final accounting figures of kernel log LOG, {key: value},
    without the durations (console.TIMING_FIGURES), which no two runs
    share."""
    _, final = console.accounting(console.split_lines(log))
    assert final is not None, log
    return {k: v for k, v in final.items()
            if k not in console.TIMING_FIGURES}


def test_at_least_twenty_programs():
    assert len(set(PROGRAMS)) >= 20
    assert all(CaseId(*p.split("/")) for p in PROGRAMS)


@pytest.mark.parametrize("case_id", PROGRAMS)
def test_same_console_and_accounting_both_ways(folio, tmp_path, case_id):
    iso, iso_protocol, iso_line = boot(folio, tmp_path, case_id, "iso")
    direct, direct_protocol, direct_line = boot(folio, tmp_path, case_id,
                                                "direct")
    assert (iso_protocol, direct_protocol) == ("multiboot2", "pvh")
    assert iso_line == direct_line == iso.case.kernel_cmdline
    assert iso.run.console == direct.run.console
    assert accounting_figures(iso.run.log) == accounting_figures(direct.run.log)
