"""The ISO group: the kernel tests that `make check` boots through the ISO
(SeaBIOS, GRUB, multiboot2) while every other test boots directly (QEMU's
-kernel, PVH), so that the path a user ships stays proven
(docs/harness.md, "Boot paths").

The group is the whole of each suite in WHOLE_SUITES and, from every
other suite, PER_SUITE tests spread evenly over its names in sorted order
(the first, the last and evenly between), so that each prefix family of a
suite (args-, bad-, child-, ...) tends to be represented and a new test
changes the choice only a little.  The rule, not a list, decides, so the
group needs no upkeep.  pytest marks its tests `iso` (`pytest -m iso`
runs the group alone).
"""

import os

from harness.cases import is_case_file

WHOLE_SUITES = ("kernel",)
PER_SUITE = 10
MARKER = "iso"


def spread(names, count):
    """COUNT of NAMES (sorted) spread evenly from the first to the last;
    all of them when there are no more than COUNT."""
    names = sorted(names)
    if len(names) <= count:
        return names
    last = len(names) - 1
    return [names[round(i * last / (count - 1))] for i in range(count)]


def suite_names(tests_dir, suite):
    """The names of the test cases in folder TESTS_DIR/SUITE."""
    folder = os.path.join(tests_dir, suite)
    return [f[:-len(".toml")] for f in os.listdir(folder)
            if is_case_file(os.path.join(folder, f))]


def iso_group(tests_dir):
    """The set of case ids (`suite/name`) of the ISO group of the suites
    under TESTS_DIR."""
    group = set()
    for suite in sorted(os.listdir(tests_dir)):
        if not os.path.isdir(os.path.join(tests_dir, suite)):
            continue
        names = suite_names(tests_dir, suite)
        chosen = names if suite in WHOLE_SUITES else spread(names, PER_SUITE)
        group.update("%s/%s" % (suite, n) for n in chosen)
    return group
