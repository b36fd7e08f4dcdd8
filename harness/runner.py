"""Running one test case: build its disks, boot a fresh QEMU under a
watchdog while streaming both serial ports, fetch files back, classify the
run and write the result files of docs/interfaces.md, section 7.
"""

import fcntl
import os
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional

from harness import classify, report
from harness.cases import CaseError, load_case, case_id
from harness.expected import ExpectedFormatError, load_expected
from harness.symbolize import symbolize
from images import foliofs, payload, qemu

POLL_SECONDS = 0.05


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

    def __post_init__(self):
        self.iso = self.iso or self.path("build", "folio.iso")
        self.kernel_elf = self.kernel_elf or self.path("build", "kernel.elf")

    def path(self, *parts):
        """Return a path inside the repository."""
        return os.path.join(self.repo, *parts)

    @property
    def results(self):
        return self.path("build", "results")


class ResultPaths:
    """The result files of one test: build/results/<suite>/<name>.*, and
    its private work directory <name>.work/ for the disk images."""

    SUFFIXES = ("output", "log", "qemu", "stderr", "result", "stats")

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

    def fetched(self, image_name):
        """Return the path a fetched file is kept at."""
        return "%s.fetched.%s" % (self.base, image_name)

    def reset(self):
        """Create the directories and remove this test's old results."""
        os.makedirs(self.work, exist_ok=True)
        prefix = os.path.basename(self.base) + "."
        for entry in os.listdir(self.dir):
            old = os.path.join(self.dir, entry)
            if entry.startswith(prefix) and os.path.isfile(old):
                if entry[len(prefix):] in self.SUFFIXES or \
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


def run_qemu(argv, paths, timeout, echo=None, label=""):
    """Run QEMU ARGV with the watchdog set to TIMEOUT seconds, streaming
    COM1/COM2 from their files.  Returns a classify.RunOutput."""
    for path in (paths.output, paths.log):
        open(path, "wb").close()
    tails = [SerialTail(paths.output, label + " COM1", echo),
             SerialTail(paths.log, label + " COM2", echo)]
    start = time.monotonic()
    with open(paths.stderr, "wb") as err:
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err)
        except OSError as exc:
            return classify.RunOutput("", "", start_error="cannot run %s: %s"
                                      % (argv[0], exc.strerror),
                                      timeout=timeout)
        status, timed_out = _watch(proc, tails, start, timeout)
    for tail in tails:
        tail.poll()
    with open(paths.stderr, "rb") as src:
        stderr = src.read().decode("utf-8", "replace")
    return classify.RunOutput(tails[0].text(), tails[1].text(), stderr,
                              status, timed_out,
                              duration=time.monotonic() - start,
                              timeout=timeout)


def _watch(proc, tails, start, timeout):
    """Wait for PROC, polling TAILS; kill it after TIMEOUT seconds.
    Returns (exit status or None, whether the watchdog fired)."""
    try:
        while True:
            try:
                return proc.wait(timeout=POLL_SECONDS), False
            except subprocess.TimeoutExpired:
                pass
            for tail in tails:
                tail.poll()
            if time.monotonic() - start > timeout:
                proc.kill()
                proc.wait()
                return None, True
    except BaseException:
        proc.kill()                # interrupted: never leave QEMU behind
        proc.wait()
        raise


def gather_files(case, cfg):
    """Return the (image name, host path) entries of CASE's disk: programs
    from build/userland/, data files from userland/data/.  Raises
    CaseError naming the first file that does not exist."""
    entries = [(name, cfg.path("build", "userland", name))
               for name in case.image_programs()]
    entries += [(name, cfg.path("userland", "data", src))
                for name, src in case.files]
    for name, host in entries:
        if not os.path.isfile(host):
            raise CaseError("%s: file for %r not found: %s"
                            % (case.path(".toml"), name,
                               os.path.relpath(host, cfg.repo)))
    return entries


def fetch_files(case, image_path, paths):
    """Read each `fetch` file out of the payload disk, keep it as
    <name>.fetched.<file> and compare it with its expected file."""
    results = []
    for image_name, expected_file in sorted(case.fetch.items()):
        with open(os.path.join(case.directory, expected_file), "rb") as src:
            want = src.read()
        try:
            with foliofs.FolioImage(image_path) as img:
                got = img.read(image_name)
        except (foliofs.FoliofsError, OSError) as err:
            results.append(classify.FetchResult(image_name, str(err)))
            continue
        with open(paths.fetched(image_name), "wb") as out:
            out.write(got)
        results.append(classify.FetchResult(
            image_name, report.bytes_difference(want, got, expected_file)))
    return results


def setup_failure(reason):
    """Return the Verdict of a test that could not be run at all; a
    multi-line REASON keeps its first line, the rest become details."""
    first, _, rest = reason.partition("\n")
    return classify.Verdict(False, first, classify.Diagnosis(
        "setup", first, rest.splitlines()))


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


def run_case(toml_path, cfg):
    """Run the test case at TOML_PATH; write its result files and return
    (Verdict, failure message or None)."""
    suite, name = case_id(toml_path).split("/")
    paths = ResultPaths(cfg.results, suite, name)
    with exclusive(paths):
        return _run_case_locked(toml_path, cfg, paths)


def _run_case_locked(toml_path, cfg, paths):
    """run_case() once this test's lock is held."""
    paths.reset()
    run = classify.RunOutput("", "")
    case = None
    try:
        if cfg.make_error:
            raise CaseError(cfg.make_error)
        case = load_case(toml_path)
        verdict, run = _boot_and_classify(case, cfg, paths)
    except CaseError as err:
        verdict = setup_failure("cannot run the test: %s" % err)
    except ExpectedFormatError as err:
        verdict = setup_failure("bad expected file: %s" % err)
    except payload.ImageError as err:
        verdict = setup_failure("cannot build the disk image: %s" % err)
    report.write_results(paths, case, run, verdict)
    if verdict.passed:
        return verdict, None
    return verdict, report.failure_message(paths, case, run, verdict,
                                           cfg.repo)


def _boot_and_classify(case, cfg, paths):
    """Build CASE's disks, run QEMU and classify; return (Verdict, run)."""
    expected = None
    if case.needs_expected():
        expected = load_expected(case.path(".expected"))
    files = payload.read_files(gather_files(case, cfg))
    images = payload.build_images(paths.work, case.kernel_cmdline, files,
                                  case.disk_free_kb, case.swap_mb)
    settings = qemu.QemuSettings(iso=cfg.iso, payload=images.payload,
                                 swap=images.swap, memory=case.memory,
                                 console=paths.output, log=paths.log,
                                 kvm=cfg.kvm, debug_exit=case.debug_exit)
    argv = qemu.qemu_argv(settings)
    with open(paths.qemu, "w") as out:
        out.write("\n".join(argv) + "\n")
    if not os.path.exists(cfg.iso):
        raise CaseError("%s does not exist (make did not build it)"
                        % os.path.relpath(cfg.iso, cfg.repo))
    run = run_qemu(argv, paths, case.timeout * cfg.timeout_factor,
                   cfg.echo, case.id)
    want = classify.Expectation(
        expect=case.expect, cmdline=case.frame_cmdline, expected=expected,
        expected_name=os.path.basename(case.path(".expected")),
        fetches=fetch_files(case, images.payload, paths),
        stats=case.stats, console_lines=case.console, log_patterns=case.log)
    symbolizer = partial(symbolize, cfg.kernel_elf, root=cfg.repo)
    verdict = classify.classify(run, want, symbolizer)
    return verdict, run
