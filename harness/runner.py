"""Running one test case, in three steps: prepare (load the case, check
the boot path, build its disks and QEMU settings), boot (a fresh QEMU
under a watchdog while streaming both serial ports, then the files the
case fetches back: a harness.run.Run), then classify the Run and write
the result files of docs/interfaces.md, section 7.
"""

import fcntl
import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, FrozenSet, Optional

from harness import classify, report, triple
from harness.cases import Case, CaseError, load_case, case_id
from harness.durations import Durations
from harness.expected import ExpectedFormatError
from harness.probe import Watcher
from harness.run import FSCK, Fetched, Run
from harness.symbolize import Symbolizer
from images import foliofs, payload, qemu


@dataclass
class Config:
    """Session-wide settings (from the command line, not from tests)."""
    repo: str
    kvm: bool = False
    timeout_factor: float = 1.0
    echo: Optional[Callable[[str], None]] = None
    make_error: Optional[str] = None
    iso: Optional[str] = None           # default build/folio.iso
    kernel_elf: Optional[str] = None    # default build/kernel.elf
    userland: Optional[str] = None      # the programs; default build/userland
    via: str = "direct"                 # the session's boot path: direct, iso
    firmware: str = "auto"              # direct path: auto, qboot, seabios
    # Tests (`suite/name`) booted through the ISO whatever `via` says:
    # make check's ISO group (harness/isogroup.py).
    iso_group: FrozenSet[str] = frozenset()
    results_dir: Optional[str] = None   # default build/results
    # Told the one-line note of a firmware fallback (qemu.boot_path).
    note: Optional[Callable[[str], None]] = None
    # The reference durations the watchdogs derive from; none: every
    # watchdog is its test's `timeout`.
    durations: Durations = field(default_factory=Durations)

    def __post_init__(self):
        """Fill in the defaults and choose the boot path; raises
        qemu.BootUnfit for a boot path or firmware that cannot be used."""
        self.iso = self.iso or self.path("build", "folio.iso")
        self.kernel_elf = self.kernel_elf or self.path("build", "kernel.elf")
        self.userland = self.userland or self.path("build", "userland")
        self.results_dir = self.results_dir or self.path("build", "results")
        self.boot = qemu.boot_path(self.via, self.iso, self.kernel_elf,
                                   self.firmware, note=self.note)

    def path(self, *parts):
        """Return a path inside the repository."""
        return os.path.join(self.repo, *parts)

    def boot_for(self, key):
        """The boot path of the test KEY (a CaseId): the ISO for a test of
        the ISO group, the session's otherwise."""
        if str(key) in self.iso_group:
            return qemu.IsoBoot(self.iso)
        return self.boot

    def timeout_for(self, case):
        """The watchdog's limit for CASE, in seconds: the one its
        reference duration gives (Durations.watchdog) times the
        session's factor."""
        return self.durations.watchdog(case) * self.timeout_factor

    @property
    def results(self):
        return self.results_dir


class ResultPaths:
    """The result files of one test: build/results/<suite>/<name>.*, and
    its private work directory <name>.work/ for the disk images."""

    SUFFIXES = ("output", "log", "qemu", "stderr", "result", "stats")
    # Written by some runs only (a reset's rerun).
    OCCASIONAL = ("int.log",)

    def __init__(self, results_dir, suite, name):
        self.dir = os.path.join(results_dir, suite)
        self.base = os.path.join(self.dir, name)
        self.work = self.base + ".work"
        self.output = self.base + ".output"      # COM1
        self.log = self.base + ".log"            # COM2
        self.qemu = self.base + ".qemu"          # the argv, one word a line
        self.stderr = self.base + ".stderr"      # QEMU's stderr
        self.result = self.base + ".result"      # PASS / FAIL: reason
        self.stats = self.base + ".stats"        # accounting counters
        self.int_log = self.base + ".int.log"    # QEMU's interrupt log of
                                                 # a reset's rerun

    def fetched(self, image_name):
        """Return the path a fetched file is kept at."""
        return "%s.fetched.%s" % (self.base, image_name.replace("/", "_"))

    @property
    def qmp(self):
        """The QMP socket of the run (qemu.qmp_socket_path: in the work
        directory, unless that path is too long for a socket)."""
        return qemu.qmp_socket_path(self.work)

    def reset(self):
        """Create the directories and remove this test's old results."""
        os.makedirs(self.work, exist_ok=True)
        prefix = os.path.basename(self.base) + "."
        for entry in os.listdir(self.dir):
            old = os.path.join(self.dir, entry)
            if entry.startswith(prefix) and os.path.isfile(old):
                if entry[len(prefix):] in self.SUFFIXES + self.OCCASIONAL or \
                        entry[len(prefix):].startswith("fetched."):
                    os.unlink(old)


class SerialTail:
    """Follows a serial output file as QEMU writes it."""

    def __init__(self, path, label, echo=None):
        self.path, self.label, self.echo = path, label, echo
        self.data = bytearray()
        self._pending = b""

    def poll(self):
        """Read what was appended since the last poll; echo whole lines."""
        try:
            with open(self.path, "rb") as src:
                src.seek(len(self.data))
                new = src.read()
        except OSError:
            return
        self.data += new
        if self.echo and new:
            lines = (self._pending + new).split(b"\n")
            self._pending = lines.pop()
            for line in lines:
                self.echo("[%s] %s" % (self.label, line.decode(
                    "utf-8", "replace").rstrip("\r")))

    def text(self):
        """Return everything read so far, decoded."""
        return self.data.decode("utf-8", "replace")


def run_qemu(argv, paths, timeout, echo=None, label="", cmdline=None,
             watcher=None):
    """Run QEMU ARGV with the watchdog set to TIMEOUT seconds, streaming
    COM1/COM2 from their files; WATCHER (a probe.Watcher on the argv's QMP
    socket) reads the CPU state at a reset or at the deadline.  Returns
    the Run (whose frame must name CMDLINE)."""
    for path in (paths.output, paths.log):
        open(path, "wb").close()
    tails = [SerialTail(paths.output, label + " COM1", echo),
             SerialTail(paths.log, label + " COM2", echo)]

    def poll():
        for tail in tails:
            tail.poll()
        if watcher:
            watcher.poll()
    with open(paths.stderr, "wb") as err:
        try:
            end = qemu.run(argv, timeout, stdout=err, stderr=err, poll=poll,
                           before_kill=watcher.at_deadline if watcher
                           else None)
        except OSError as exc:
            return Run("", "", end=qemu.Exit(start_error="cannot run %s: %s"
                                             % (argv[0], exc.strerror)),
                       timeout=timeout, cmdline=cmdline)
    with open(paths.stderr, "rb") as src:
        stderr = src.read().decode("utf-8", "replace")
    run = Run(tails[0].text(), tails[1].text(), stderr, end,
              timeout=timeout, cmdline=cmdline)
    if watcher:
        run.cpu = watcher.hang_state or watcher.reset_state
        run.cpu_problem = watcher.problem
    return run


def program_paths(case, cfg):
    """Return {image name: host path} of CASE's programs (from
    cfg.userland, build/userland/ unless told otherwise)."""
    return {name: os.path.join(cfg.userland, name)
            for name in case.image_programs()}


def gather_files(case, cfg):
    """Return the (image name, host path) entries of CASE's disk: programs
    from cfg.userland, data files from userland/data/ (a file given by an
    absolute path stays where it is).  Raises
    CaseError naming the first file that does not exist."""
    entries = list(program_paths(case, cfg).items())
    entries += [(name, cfg.path("userland", "data", src))
                for name, src in case.files]
    for name, host in entries:
        if not os.path.isfile(host):
            raise CaseError("%s: file for %r not found: %s"
                            % (case.path(".toml"), name,
                               os.path.relpath(host, cfg.repo)))
    return entries


def fetch_files(case, image_path, paths):
    """Read each `fetch` file of CASE out of the payload disk IMAGE_PATH
    and keep it as <name>.fetched.<file>; return {image name: Fetched}
    (classify compares them with their expected files)."""
    fetched = {}
    for image_name in sorted(case.fetch):
        try:
            with foliofs.FolioImage(image_path) as img:
                data = img.read(image_name)
        except (foliofs.FoliofsError, OSError) as err:
            fetched[image_name] = Fetched(None, str(err))
            continue
        with open(paths.fetched(image_name), "wb") as out:
            out.write(data)
        fetched[image_name] = Fetched(data)
    if case.fsck:
        problem = fsck_problem(image_path)
        if problem:
            fetched[FSCK] = Fetched(None, problem)
    return fetched


def fsck_problem(image_path):
    """Check the whole payload file system after a run (foliofs fsck);
    return None when it is clean, else what is wrong."""
    try:
        with foliofs.FolioImage(image_path) as img:
            problems = img.fsck()
    except (foliofs.FoliofsError, OSError) as err:
        return "fsck: %s" % err
    if not problems:
        return None
    return "fsck: %d problems: %s" % (len(problems), "; ".join(problems[:5]))


SECTOR_SIZE = 512


def _error_sector(case, error, payload_image):
    """Return the sector injected error ERROR (a cases.IoError) names, or
    None for every request: its `sector`, or the sector holding byte
    `offset` of `file` on the payload disk just built."""
    if error.file is None:
        return error.sector
    try:
        with foliofs.FolioImage(payload_image) as img:
            block = img.block_of(error.file, error.offset)
    except (foliofs.FoliofsError, OSError) as err:
        raise CaseError("%s: io_errors: %s" % (case.path(".toml"), err)) from None
    return (block * foliofs.BLOCK_SIZE + error.offset % foliofs.BLOCK_SIZE) \
        // SECTOR_SIZE


def write_blkdebug(case, images, work):
    """Write a blkdebug config file per disk with `io_errors` into
    directory WORK (beside IMAGES, the disks just built); return {disk:
    config path} (None without errors)."""
    if not case.io_errors:
        return None
    sections = {}
    for error in case.io_errors:
        lines = ["[inject-error]",
                 'event = "%s_aio"' % error.op,
                 'iotype = "%s"' % error.op,      # only requests of that kind fail
                 'errno = "5"',                   # EIO
                 'once = "%s"' % ("on" if error.once else "off")]
        sector = _error_sector(case, error, images.payload)
        if sector is not None:
            lines.append('sector = "%d"' % sector)
        sections.setdefault(error.disk, []).append("\n".join(lines) + "\n")
    configs = {}
    for disk, rules in sections.items():
        configs[disk] = os.path.join(work, "%s.blkdebug" % disk)
        with open(configs[disk], "w") as out:
            out.write("\n".join(rules))
    return configs


def setup_failure(reason):
    """Return the Verdict of a test that could not be run at all; a
    multi-line REASON keeps its first line, the rest become details."""
    first, _, rest = reason.partition("\n")
    return classify.Verdict(False, first, [classify.Diagnosis(
        classify.Kind.SETUP, first, rest.splitlines())], classify.Kind.SETUP)


@contextmanager
def exclusive(paths):
    """Hold build/results/<suite>/<name>.lock: two pytest sessions running
    the same test in one tree take turns instead of sharing its disk
    images and result files."""
    os.makedirs(paths.dir, exist_ok=True)
    with open(paths.base + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class CaseResult:
    """The outcome of one test: its verdict, the run and where its result
    files are; case is None when the test file could not be loaded."""
    key: object
    case: Optional[Case]
    verdict: classify.Verdict
    run: Run
    paths: ResultPaths

    def failure_message(self, repo=None, color=False):
        """The report of a failed test (report.failure_message)."""
        return report.failure_message(self.paths, self.case, self.run,
                                      self.verdict, repo, color)


def run_case(toml_path, cfg):
    """Run the test case at TOML_PATH: prepare, boot, classify; write its
    result files and return its CaseResult."""
    key = case_id(toml_path)
    paths = ResultPaths(cfg.results, key.suite, key.name)
    with exclusive(paths):
        paths.reset()
        run, case = Run("", ""), None
        try:
            if cfg.make_error:
                raise CaseError(cfg.make_error)
            case = load_case(toml_path)
            settings = prepare(case, cfg, paths)
            run = boot(case, settings, cfg, paths)
            verdict = classify.classify(case, run, Symbolizer(
                cfg.kernel_elf, program_paths(case, cfg), cfg.repo))
        except CaseError as err:
            verdict = setup_failure("cannot run the test: %s" % err)
        except ExpectedFormatError as err:
            verdict = setup_failure("bad expected file: %s" % err)
        except payload.ImageError as err:
            verdict = setup_failure("cannot build the disk image: %s" % err)
        report.write_results(paths, case, run, verdict)
        return CaseResult(key, case, verdict, run, paths)


def machine_for(case, cfg, work, console, log, qmp_socket=None, extra=()):
    """Check the boot path of CASE (Config.boot_for), build its disks in
    directory WORK and return the qemu.QemuSettings that boot them (COM1
    to file CONSOLE, COM2 to file LOG; None for QEMU's stdio), with a QMP
    socket when QMP_SOCKET is given and EXTRA QEMU options last; the
    case's `io_errors` become blkdebug config files in WORK.  The argv is
    qemu.qemu_argv() of the result.  Raises CaseError when the boot path
    or a file is missing or the boot path cannot carry the command line,
    payload.ImageError when the disk cannot be built.  This is how any
    tool boots a test case the way the harness does (e.g. under a
    debugger) without touching its result files."""
    boot = cfg.boot_for(case.key)
    try:
        boot.check()
    except qemu.BootMissing as err:
        raise CaseError("%s does not exist (make did not build it)"
                        % os.path.relpath(str(err), cfg.repo)) from None
    files = payload.read_files(gather_files(case, cfg))
    images = payload.build_images(work, case.kernel_cmdline, files,
                                  case.disk_free_kb, case.swap_mb,
                                  inode_count=case.disk_inodes)
    try:
        return qemu.settings_for(boot, images, console, log,
                                 memory=case.memory, kvm=cfg.kvm,
                                 debug_exit=case.debug_exit,
                                 blkdebug=write_blkdebug(case, images, work),
                                 qmp_socket=qmp_socket, extra=extra)
    except qemu.BootUnfit as err:
        raise CaseError(str(err)) from None


def prepare(case, cfg, paths):
    """Step 1: build CASE's disks in its work directory and write its
    QEMU argv to <name>.qemu; return the QemuSettings."""
    settings = machine_for(case, cfg, paths.work, paths.output, paths.log,
                           paths.qmp)
    with open(paths.qemu, "w") as out:
        out.write("\n".join(qemu.qemu_argv(settings)) + "\n")
    return settings


def boot(case, settings, cfg, paths):
    """Step 2: run QEMU on SETTINGS under the watchdog, the CPU probe on
    its QMP socket, then read back CASE's `fetch` files; return the Run."""
    _unlink(paths.qmp)
    try:
        watcher = Watcher(paths.qmp, cfg.kernel_elf, cfg.timeout_factor)
        run = run_qemu(qemu.qemu_argv(settings), paths, cfg.timeout_for(case),
                       cfg.echo, case.id, case.frame_cmdline, watcher)
    finally:
        _unlink(paths.qmp)
    run.fetched = fetch_files(case, settings.payload, paths)
    if run.end.ending == qemu.Ending.RESET and not run.powered_off:
        run.chain, run.chain_problem = rerun_for_reset(case, cfg, paths)
    return run


def rerun_for_reset(case, cfg, paths):
    """CASE reset the guest: boot it once more, on fresh disks in
    <name>.work/rerun/, with QEMU's interrupt and reset log in
    <name>.int.log, and return (the triple.Chain it ends with, None) or
    (None, why there is none).  Logging every interrupt slows QEMU, so
    only a reset's rerun does it."""
    work = os.path.join(paths.work, "rerun")
    os.makedirs(work, exist_ok=True)
    try:
        settings = machine_for(case, cfg, work, os.path.join(work, "console"),
                               os.path.join(work, "log"),
                               extra=("-d", "int,cpu_reset",
                                      "-D", paths.int_log))
        end = qemu.run(qemu.qemu_argv(settings), cfg.timeout_for(case),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        chain = triple.parse_chain(triple.read_tail(paths.int_log))
    except (CaseError, payload.ImageError, OSError) as err:
        return None, "the rerun with QEMU's interrupt log failed: %s" % err
    if chain is None:
        return None, ("the rerun with QEMU's interrupt log (%s) ended "
                      "without a triple fault: %s" % (paths.int_log,
                                                      end.summary()))
    return chain, None


def _unlink(path):
    """Remove file PATH if it exists."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
