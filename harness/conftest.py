"""pytest plumbing for Folio's harness (docs/harness.md).

`pytest harness` (from the repository root) runs `make` once, in the
controller process, then collects one test per test-case file
`harness/tests/<suite>/<name>.toml`, named `<suite>/<name>`, next to the
plain unit tests of harness/unit/.  With pytest-xdist (-n) the workers
never run make: the controller hands them its outcome.
"""

import os
import subprocess
import sys
import time
from typing import Optional

# Compiled Python, pytest's rewritten test modules among it, is kept in
# build/pycache whatever PYTHONDONTWRITEBYTECODE says (docs/harness.md,
# "Running"): otherwise every process of a run (the controller, each
# pytest-xdist worker, the tools tests' own pytest sessions) compiles and
# rewrites every test module again, half a second of CPU each.
sys.pycache_prefix = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "build", "pycache")
sys.dont_write_bytecode = False

import pytest

from harness import durations, isogroup, makeenv, results, shard
from harness.cases import case_id, is_case_in
from harness.runner import Config, run_case
from images import qemu

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
HARNESS_DIR = os.path.join(REPO, "harness")
TESTS_DIR = os.path.join(HARNESS_DIR, "tests")
RESULTS_DIR = os.path.join(REPO, "build", "results")
# Where a partial run (-k, one file...) writes its results.json and
# junit.xml, so that the last full run's stay in RESULTS_DIR.
PARTIAL_DIR = os.path.join(RESULTS_DIR, "partial")
# The paths of a full run: the harness, or its testpaths (pytest.ini),
# which pytest takes when run in harness/ with no path.
WHOLE_RUNS = ({os.path.realpath(HARNESS_DIR)},
              {os.path.realpath(os.path.join(HARNESS_DIR, name))
               for name in ("unit", "tools", "tests")})
MAKE_LOG = os.path.join(RESULTS_DIR, "make.log")
MAKE_TAIL = 15

# What pytest_configure works out, kept on the session's config.
CONFIG = pytest.StashKey[Config]()
MAKE_SUMMARY = pytest.StashKey[str]()
NOTES = pytest.StashKey[list]()
SHARD = pytest.StashKey[Optional[shard.Shard]]()   # the shard to run


def pytest_addoption(parser):
    """Add the harness's own options (group `folio`)."""
    group = parser.getgroup("folio", "Folio kernel harness")
    group.addoption("--kvm", action="store_true",
                    help="run QEMU with KVM (also FOLIO_KVM=1); the default "
                         "is TCG")
    group.addoption("--no-make", action="store_true",
                    help="do not run make before the tests")
    group.addoption("--timeout-factor", type=float,
                    default=float(os.environ.get("FOLIO_TIMEOUT_FACTOR", 1)),
                    help="multiply every test's timeout (slow machines; "
                         "also FOLIO_TIMEOUT_FACTOR)")
    group.addoption("--echo-serial", action="store_true",
                    help="echo COM1/COM2 lines live (use with -s, no -n)")
    group.addoption("--iso", metavar="PATH",
                    help="boot this ISO instead of build/folio.iso")
    qemu.add_boot_options(
        group.addoption, "boot path: direct (QEMU loads the kernel; the "
        "default, but the ISO group boots the ISO) or iso (every test "
        "through GRUB)", "firmware of the direct path: auto (qboot where "
        "QEMU has it, else SeaBIOS), qboot or seabios")
    group.addoption("--results-dir", metavar="DIR",
                    help="write results.json and junit.xml in DIR, whatever "
                         "the run selects (make grade of a submission, a "
                         "shard in CI), and each test's result files; "
                         "default build/results, or build/results/partial "
                         "for a partial run's results.json and junit.xml")
    group.addoption("--kernel-elf", metavar="PATH",
                    help="symbolize panics with this ELF instead of "
                         "build/kernel.elf")
    group.addoption("--shard", metavar="K/N",
                    help="run the K-th of N shards of the selected tests, "
                         "balanced by harness/durations.json (also "
                         "CI_NODE_INDEX/CI_NODE_TOTAL)")


def run_make():
    """Run make in the repository; return (None or an error message,
    a one-line summary).  The output goes to build/results/make.log."""
    start = time.monotonic()
    try:
        # make_env names this interpreter as make's PYTHON.
        done = subprocess.run(["make"], cwd=REPO, env=makeenv.make_env(),
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    except OSError as err:
        return "cannot run make: %s" % err.strerror, "make: not run"
    os.makedirs(os.path.dirname(MAKE_LOG), exist_ok=True)
    with open(MAKE_LOG, "wb") as out:
        out.write(done.stdout)
    took = time.monotonic() - start
    if done.returncode == 0:
        return None, "make: ok in %.1f s (build/results/make.log)" % took
    lines = done.stdout.decode("utf-8", "replace").splitlines()[-MAKE_TAIL:]
    return ("make failed (exit status %d), so the kernel tests cannot run; "
            "last lines of build/results/make.log:\n%s"
            % (done.returncode, "\n".join(lines)),
            "make: FAILED (exit status %d, see build/results/make.log)"
            % done.returncode)


class _MakeOutcomeToWorkers:
    """xdist plugin (controller side): hands make's outcome to workers."""

    def __init__(self, make_error):
        self.make_error = make_error

    def pytest_configure_node(self, node):
        """Called by xdist for each worker before it starts: make's outcome
        and whether failure messages are for a colour terminal."""
        node.workerinput["folio_make_error"] = self.make_error
        node.workerinput["folio_color"] = _terminal_has_color(node.config)


def _terminal_has_color(config):
    """Return True when this session's terminal shows colours (in an
    xdist worker: the controller's terminal)."""
    if hasattr(config, "workerinput"):
        return config.workerinput.get("folio_color", False)
    try:
        return config.get_terminal_writer().hasmarkup
    except AttributeError:          # no terminal reporter (-p no:terminal)
        return False


def partial_reasons(config):
    """Return what makes the session CONFIG a partial run (an empty list
    for a full one): a selection (-k, -m, --deselect, --lf), a stop at a
    failure (-x, --maxfail) or paths other than the whole harness."""
    reasons = ["%s %s" % (flag, config.getoption(name))
               for name, flag in (("keyword", "-k"), ("markexpr", "-m"))
               if config.getoption(name, None)]
    reasons += [flag for name, flag in (("deselect", "--deselect"),
                                        ("lf", "--lf"),
                                        ("maxfail", "-x/--maxfail"))
                if config.getoption(name, None)]
    base = str(config.invocation_params.dir)
    paths = {os.path.realpath(os.path.join(base, arg)) for arg in config.args}
    if any("::" in arg for arg in config.args) or paths not in WHOLE_RUNS:
        reasons += config.args
    return reasons


class _Results:
    """Controller plugin: collects every test's record, writes
    results.json and junit.xml, and prints the closing summary.  A
    partial run (PARTIAL: what makes it one) writes them in PARTIAL_DIR
    instead, beside the last full run's."""

    def __init__(self, partial=(), directory=None):
        """DIRECTORY (--results-dir), when given, holds the results of any
        run, partial or not."""
        self.collector = results.Collector()
        self.partial = [] if directory else list(partial)
        self.directory = directory or (PARTIAL_DIR if self.partial
                                       else RESULTS_DIR)

    def pytest_runtest_logreport(self, report):
        self.collector.add(report)

    def pytest_sessionfinish(self, session):
        """Write results.json and junit.xml, also for a session that ran
        no test (so that the last run's are not graded as this one's)."""
        records = self.collector.ordered()
        results.write_json(os.path.join(self.directory, "results.json"),
                           records)
        results.write_junit(os.path.join(self.directory, "junit.xml"),
                            records)

    def pytest_terminal_summary(self, terminalreporter):
        """End the run with the failures grouped by kind and place, then
        one line per failed test with its whole reason (never cut to the
        terminal's width), in serial and parallel runs alike; then where
        the results went."""
        lines = results.summary_lines(self.collector.ordered())
        if lines:
            terminalreporter.section("failure summary")
            for line in lines:
                terminalreporter.write_line(line)
        where = os.path.relpath(self.directory, REPO)
        if self.partial:
            terminalreporter.write_line(
                "results of this partial run (%s): %s/results.json and "
                "junit.xml; the last full run's stay in %s/" % (
                    " ".join(self.partial), where,
                    os.path.relpath(RESULTS_DIR, REPO)))
        else:
            terminalreporter.write_line("results: %s/results.json and "
                                        "junit.xml" % where)


def _echo_function(config):
    """Return the function echoing serial lines, or None."""
    if not config.getoption("echo_serial"):
        return None

    def echo(line):
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:       # none in an xdist worker
            reporter.write_line(line)
    return echo


def _make_outcome(config):
    """Return (make's error or None, header summary or None): run make in
    the controller (or a plain session); an xdist worker takes the
    controller's outcome instead."""
    if hasattr(config, "workerinput"):
        return config.workerinput.get("folio_make_error"), None
    if config.getoption("no_make") or config.getoption("collectonly") \
            or config.getoption("help"):
        return None, "make: skipped"
    return run_make()


def pytest_configure(config):
    """Check KVM, run make (controller only) and build the session Config."""
    kvm = qemu.kvm_requested(config.getoption("kvm"))
    if kvm:
        try:
            qemu.check_kvm()
        except qemu.KvmUnavailable as err:
            raise pytest.UsageError(str(err))
    try:
        references = durations.load()
        config.stash[SHARD] = _shard(config)
    except (durations.DurationsError, shard.ShardError) as err:
        raise pytest.UsageError(str(err))
    explicit_dir = _absolute(config.getoption("results_dir"))
    partial = partial_reasons(config)
    if config.stash[SHARD]:
        partial.append("shard %s" % config.stash[SHARD])
    make_error, config.stash[MAKE_SUMMARY] = _make_outcome(config)
    if config.pluginmanager.hasplugin("xdist") and \
            not hasattr(config, "workerinput"):
        config.pluginmanager.register(_MakeOutcomeToWorkers(make_error))
    if not hasattr(config, "workerinput") and \
            not config.getoption("collectonly"):
        config.pluginmanager.register(_Results(partial, explicit_dir),
                                      "folio-results")
    config.addinivalue_line("markers", "%s: a test of the ISO group, which "
                            "boots through the ISO (harness/isogroup.py)"
                            % isogroup.MARKER)
    config.stash[NOTES] = notes = []
    via = config.getoption("via")
    try:
        config.stash[CONFIG] = Config(
            repo=REPO, kvm=kvm,
            timeout_factor=config.getoption("timeout_factor"),
            echo=_echo_function(config), make_error=make_error,
            iso=_absolute(config.getoption("iso")),
            kernel_elf=_absolute(config.getoption("kernel_elf")),
            via=via, firmware=config.getoption("firmware"),
            iso_group=frozenset(isogroup.iso_group(TESTS_DIR))
            if via == "direct" else frozenset(), note=notes.append,
            results_dir=explicit_dir, durations=references)
    except qemu.BootUnfit as err:
        raise pytest.UsageError(str(err))


def _shard(config):
    """Return the session's shard.Shard (--shard, else GitLab's
    variables) or None."""
    if config.getoption("shard"):
        return shard.parse(config.getoption("shard"))
    return shard.from_environment(os.environ)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep only the tests of the session's shard, after every other
    selection (-k, -m): the shards partition the selected tests.  Then
    order them longest first by their reference durations, so that
    pytest-xdist, which hands tests out in this order, starts the long
    ones while there is other work to run beside them and ends on the
    short ones (docs/harness.md, "Order")."""
    cfg = config.stash[CONFIG]
    weights = {_test_id(item): cfg.durations.weight(
        _test_id(item), isinstance(item, CaseItem)) for item in items}
    this = config.stash[SHARD]
    if this is not None:
        chosen = shard.select(weights, this)
        kept = [item for item in items if _test_id(item) in chosen]
        dropped = [item for item in items if _test_id(item) not in chosen]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    items.sort(key=lambda item: -weights[_test_id(item)])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With -n and xdist's default `--dist load`: deal the tests out in
    their order, longest first, one at a time (harness/schedule.py)."""
    if config.getvalue("dist") != "load":
        return None
    from harness.schedule import LongestFirst
    return LongestFirst(config, log)


def _test_id(item):
    """The id of ITEM's record: `suite/name` for a kernel test, the node
    id for a unit test."""
    return item.name if isinstance(item, CaseItem) else item.nodeid


def _absolute(path):
    """Return PATH made absolute (None stays None)."""
    return os.path.abspath(path) if path else None


def pytest_report_header(config):
    """Show make's outcome and the accelerator in the session header."""
    cfg = config.stash[CONFIG]
    lines = ["folio: QEMU with %s, timeout factor %g"
             % ("KVM" if cfg.kvm else "TCG", cfg.timeout_factor),
             "folio: boot path %s%s" % (_describe_boot(cfg.boot),
                                        ", the ISO group (%d tests, -m %s) "
                                        "through the ISO"
                                        % (len(cfg.iso_group), isogroup.MARKER)
                                        if cfg.iso_group else "")]
    lines += ["folio: " + note for note in config.stash[NOTES]]
    lines.append("folio: watchdogs %g x the reference duration, at least "
                 "%g s (%d references, harness/durations.json)"
                 % (cfg.durations.factor, cfg.durations.floor,
                    len(cfg.durations.seconds)))
    if config.stash[MAKE_SUMMARY]:
        lines.append("folio: " + config.stash[MAKE_SUMMARY])
    if config.stash[SHARD]:
        lines.append("folio: shard %s" % config.stash[SHARD])
    return lines


def _describe_boot(boot):
    """How BOOT boots, for the session header."""
    if boot.name == "iso":
        return "iso (SeaBIOS, GRUB, multiboot2)"
    return "direct (%s, PVH)" % (os.path.basename(boot.bios) if boot.bios
                                 else "SeaBIOS")


def pytest_collect_file(file_path, parent):
    """Collect `harness/tests/<suite>/<name>.toml` as one test each (not
    the suite's defaults, suite.toml)."""
    if is_case_in(str(file_path), TESTS_DIR):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A test-case file; it holds exactly one test."""

    def collect(self):
        item = CaseItem.from_parent(self, name=str(case_id(str(self.path))))
        if item.name in self.config.stash[CONFIG].iso_group:
            item.add_marker(isogroup.MARKER)
        yield item


class CaseFailure(Exception):
    """A kernel test failed; the argument is its runner.CaseResult."""


class CaseItem(pytest.Item):
    """One kernel test: boot QEMU on the case's disks and classify."""

    def runtest(self):
        """Run the case and attach its record; on failure raise
        CaseFailure with the result."""
        result = run_case(str(self.path), self.config.stash[CONFIG])
        self.user_properties.append((results.RECORD,
                                     results.case_record(result).to_json()))
        if not result.verdict.passed:
            raise CaseFailure(result)

    def repr_failure(self, excinfo, style=None):
        """Show the harness's report of a failed run as it is, instead of
        a Python traceback (a string: pytest prints it line for line, and
        the test's record takes it, without colours, as its message)."""
        if isinstance(excinfo.value, CaseFailure):
            return excinfo.value.args[0].failure_message(
                self.config.stash[CONFIG].repo,
                color=_terminal_has_color(self.config))
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name
