"""The ISO group: the kernel tests that `make check` boots through the ISO
(SeaBIOS, GRUB, multiboot2) while every other test boots directly (QEMU's
-kernel, PVH), so that the path a user ships stays proven
(docs/harness.md, "Boot paths").

Every suite in WHOLE_SUITES boots through the ISO whole.  Every other
suite boots PER_SUITE of its tests through it.  First come its programs
in BOTH_WAYS: harness/tools/test_boot_paths.py boots each of them through
the ISO and directly, judges both runs as the test itself is judged and
requires the same console and accounting, so its ISO run counts for its
suite, and the test itself then boots directly like the rest.  Then, as
many as are still needed, spread evenly over the suite's other names in
sorted order (the first, the last and evenly between), so that each
prefix family of a suite (args-, bad-, child-, ...) tends to be
represented and a new test changes the choice only a little.  Watchdog
tests (`expect = "timeout"`) are never chosen: their time limit, the
thing they test, counts from QEMU's start, and the ISO path's longer
boot would eat into it on a busy machine.  The rule, not a list,
decides, so the group needs no upkeep.  pytest marks its
tests, and the both-ways test, `iso` (`pytest -m iso` runs them alone).
"""

import os

from harness.cases import CaseError, Expect, is_case_file, read_toml

WHOLE_SUITES = ("kernel",)
PER_SUITE = 10
MARKER = "iso"
# The programs booted both ways by harness/tools/test_boot_paths.py, twenty
# of them: ones whose console does not depend on scheduling (one process,
# or processes that print only after they wait for each other) and that
# print nothing of the machine's RAM (console=pintos).
BOTH_WAYS = (
    "userprog/args-many", "userprog/args-dbl-space", "userprog/create-normal",
    "userprog/create-exists", "userprog/open-twice", "userprog/read-normal",
    "userprog/write-normal", "userprog/exec-once", "userprog/exec-args",
    "userprog/wait-status", "userprog/fork-simple", "userprog/rox-simple",
    "userprog/seek-tell", "userprog/bad-read", "userprog/dup2-basic",
    "vm/vm-lazy-code", "vm/vm-stack-edge", "vm/vm-mm-read",
    "cow/cow-isolate", "security/seg-isolate",
)


def spread(names, count):
    """COUNT of NAMES (sorted) spread evenly from the first to the last;
    all of them when there are no more than COUNT."""
    names = sorted(names)
    if len(names) <= count:
        return names
    if count <= 1:
        return names[:count]
    last = len(names) - 1
    return [names[round(i * last / (count - 1))] for i in range(count)]


def suite_names(tests_dir, suite):
    """The names of the test cases in folder TESTS_DIR/SUITE."""
    folder = os.path.join(tests_dir, suite)
    return [f[:-len(".toml")] for f in os.listdir(folder)
            if is_case_file(os.path.join(folder, f))]


def is_watchdog_test(path):
    """True when the case file at PATH expects the harness's watchdog to
    end its run (`expect = "timeout"`); a file that does not parse is not
    one (its own test reports why)."""
    try:
        return read_toml(path).get("expect") == Expect.TIMEOUT.value
    except CaseError:
        return False


def iso_group(tests_dir, both_ways=BOTH_WAYS):
    """The set of case ids (`suite/name`) of the suites under TESTS_DIR
    that the harness boots through the ISO: the whole of WHOLE_SUITES,
    and from every other suite as many as PER_SUITE less its programs in
    BOTH_WAYS (which the both-ways test boots through the ISO)."""
    group = set()
    for suite in sorted(os.listdir(tests_dir)):
        if not os.path.isdir(os.path.join(tests_dir, suite)):
            continue
        names = suite_names(tests_dir, suite)
        if suite in WHOLE_SUITES:
            chosen = names
        else:
            booted = [n for n in names if "%s/%s" % (suite, n) in both_ways]
            rest = [n for n in names if n not in booted and not
                    is_watchdog_test(os.path.join(tests_dir, suite,
                                                  n + ".toml"))]
            chosen = spread(rest, max(0, PER_SUITE - len(booted)))
        group.update("%s/%s" % (suite, n) for n in chosen)
    return group
