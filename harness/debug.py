"""`make debug` (alias `make qemu-gdb`): boot a program or a test case in
a QEMU that waits for GDB, in a work directory of its own
(build/debug/<name>/), with a gdbinit that loads the symbols, connects and
brings the helpers of harness/gdb/folio.py (docs/debugging.md).

  python3 -m harness.debug --test vm/vm-swap-anon
  python3 -m harness.debug --program args-multiple --args 'a b c' \\
      --file userland/data/sample.txt --kopts 'user_pages=64'

The disks are built by the harness's own harness.runner.machine_for (a
program is booted as a test case of its own would be) and QEMU's argv is
the frozen one of images.qemu plus `-gdb ... -S`; no file under
build/results is touched.
"""

import argparse
import dataclasses
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass

from harness.cases import Case, CaseError, CaseId, case_file, load_case
from harness.runner import Config, machine_for
from images import payload, qemu

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPERS = os.path.join(REPO, "harness", "gdb", "folio.py")
TESTS_DIR = os.path.join(REPO, "harness", "tests")
DEFAULT_PORT = 1234            # QEMU's -s, the port gdb users expect
CONNECT_SECONDS = 60           # how long the gdbinit retries connecting
EXIT_USAGE = 2
EXIT_TIMEOUT = 124
WORK_FILES = ("console.txt", "kernel.log", "qemu.stderr", "qemu.argv",
              "qemu-int.log", "gdbinit", "payload.blkdebug", "swap.blkdebug")


@dataclass
class Target:
    """What to boot: a test case (a program or a self-test is booted as a
    case of its own would be) and where its programs are."""
    label: str                  # "test vm/vm-swap-anon", "program demo"
    name: str                   # its work directory under build/debug/
    case: Case
    userland: str               # the directory of the case's programs

    @property
    def cmdline(self):
        """The kernel command line."""
        return self.case.kernel_cmdline

    @property
    def programs(self):
        """The ELFs on the disk, the run program first (none for a
        self-test: there is no user code to load symbols of)."""
        if self.case.run is None:
            return []
        return [os.path.join(self.userland, name)
                for name in self.case.image_programs()]


def _options(*parts):
    """Join kernel option strings, dropping empty ones."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def _extra_files(files):
    """Return the (image name, absolute host path) entries of the --file
    specs FILES (absolute paths stand as they are among a case's files);
    CaseError naming the first that does not exist."""
    entries = []
    for spec in files:
        name, host = payload.file_entry(spec)
        if not os.path.isfile(host):
            raise CaseError("no file %s (--file %s)" % (host, spec))
        entries.append((name, os.path.abspath(host)))
    return entries


def case_target(test, userland, files=(), kopts=""):
    """The Target of test case TEST (`suite/name` or a .toml path), with
    FILES added to its disk and KOPTS after its own options."""
    path = test if test.endswith(".toml") else case_file(TESTS_DIR, test)
    if not os.path.isfile(path):
        raise CaseError("no test case %s (no file %s)" % (test, path))
    case = load_case(path)
    case = dataclasses.replace(case, options=_options(case.options, kopts),
                               files=case.files + _extra_files(files))
    return Target(label="test " + case.id,
                  name="%s-%s" % (case.key.suite, case.key.name),
                  case=case, userland=userland)


def program_target(program, args, userland, files=(), kopts="",
                   memory="64M", swap_mb=0):
    """The Target running PROGRAM (a name under USERLAND, or a path) with
    ARGS (quoted as in a shell: payload.run_arguments, whose ImageError
    refuses an argument holding a space), FILES on its disk and kernel
    options KOPTS."""
    host = program if os.sep in program else os.path.join(userland, program)
    if not os.path.isfile(host):
        raise CaseError("no program %s" % host)
    name = os.path.basename(host)
    case = Case(key=CaseId("program", name), directory=os.path.dirname(host),
                run=" ".join([name] + payload.run_arguments(args)),
                files=_extra_files(files), options=kopts.strip(),
                memory=memory, swap_mb=swap_mb)
    return Target(label="program " + name, name=name, case=case,
                  userland=os.path.dirname(os.path.abspath(host)))


def prepare(target, workdir, iso, console=None, port=None, qemu_log=False):
    """Build TARGET's disks in WORKDIR and return QEMU's argv: COM1 to
    CONSOLE (None: this terminal), COM2 to WORKDIR/kernel.log, waiting for
    GDB on 127.0.0.1:PORT unless PORT is None.  Raises CaseError or
    ImageError."""
    os.makedirs(workdir, exist_ok=True)
    for stale in WORK_FILES:
        if os.path.exists(os.path.join(workdir, stale)):
            os.unlink(os.path.join(workdir, stale))
    # make debug boots the ISO of the debug build (its GRUB, then the
    # kernel gdb reads), as make run does.
    cfg = Config(repo=REPO, iso=iso, userland=target.userland, via="iso")
    extra = []
    if port is not None:
        extra += ["-gdb", "tcp:127.0.0.1:%d" % port, "-S"]
    if qemu_log:
        extra += ["-d", "int,cpu_reset,guest_errors",
                  "-D", os.path.join(workdir, "qemu-int.log")]
    argv = qemu.qemu_argv(machine_for(target.case, cfg, workdir, console,
                                      os.path.join(workdir, "kernel.log"),
                                      extra=extra))
    with open(os.path.join(workdir, "qemu.argv"), "w") as out:
        out.write("\n".join(argv) + "\n")
    return argv


def write_gdbinit(workdir, target, kernel_elf, port):
    """Write WORKDIR/gdbinit: helpers, the kernel's symbols, the first
    program's symbols at the addresses it is linked at, then connect.
    Returns its path."""
    path = os.path.join(workdir, "gdbinit")
    lines = ["# gdb -x %s" % path,
             "# Debugging %s (written by make debug)." % target.label,
             "set confirm off",
             "source %s" % HELPERS,
             "file %s" % kernel_elf]
    if target.programs:
        lines.append("add-symbol-file %s" % target.programs[0])
    if target.programs[1:]:
        lines.append("# The other programs on the disk are linked at the "
                     "same addresses: to debug")
        lines.append("# one, `remove-symbol-file %s` first, then:"
                     % target.programs[0])
        lines += ["#   add-symbol-file %s" % p for p in target.programs[1:]]
    lines.append("folio-connect 127.0.0.1:%d %d" % (port, CONNECT_SECONDS))
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


def _port_free(port):
    """Return True when PORT can be listened on at 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(requested):
    """REQUESTED when given (> 0); else 1234 when free (REQUESTED None);
    else a port the system picks (free when asked)."""
    if requested:
        return requested
    if requested is None and _port_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="make debug", description=__doc__.split("\n\n")[0])
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--test", metavar="SUITE/NAME",
                      help="a test case of harness/tests (or its .toml)")
    what.add_argument("--program", metavar="NAME",
                      help="a program of build/userland (or a path)")
    p.add_argument("--args", default="", help="the program's arguments")
    p.add_argument("--file", action="append", default=[],
                   metavar="[NAME=]PATH", help="a data file for the disk")
    p.add_argument("--kopts", default="", help="kernel options")
    p.add_argument("--memory", default="64M", help="with --program (64M)")
    p.add_argument("--swap-mb", type=int, default=0, metavar="N",
                   help="with --program: swap disk of N MiB")
    p.add_argument("--iso", default=os.path.join(
        REPO, "build", "debug-kernel", "folio.iso"))
    p.add_argument("--kernel-elf", default=os.path.join(
        REPO, "build", "debug-kernel", "kernel.elf"))
    p.add_argument("--userland", default=os.path.join(REPO, "build",
                                                      "userland"))
    p.add_argument("--out", metavar="DIR",
                   help="work directory (build/debug/<name>)")
    p.add_argument("--port", type=int, metavar="N",
                   help="GDB port (default 1234, or a free one when 1234 "
                        "is taken; 0: a free one)")
    p.add_argument("--gdb", choices=("auto", "yes", "no"), default="auto",
                   help="start gdb here (auto: when on a terminal)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="without gdb: kill QEMU after S seconds")
    p.add_argument("--qemu-log", action="store_true",
                   help="QEMU logs interrupts and resets to qemu-int.log")
    args = p.parse_args(argv)
    if args.port is not None and not 0 <= args.port < 65536:
        p.error("--port must be 0..65535")
    for name in ("iso", "kernel_elf", "userland"):    # the gdbinit works
        setattr(args, name, os.path.abspath(getattr(args, name)))   # anywhere
    return args


def _say(text):
    print("make debug: " + text, flush=True)


def _stop(proc):
    """End QEMU if it still runs; return its exit status (None: killed)."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
        return None
    return proc.returncode


def _describe(end):
    """How QEMU ended (a qemu.Exit), told for a person at gdb."""
    if end.ending == qemu.Ending.RESET:
        return "QEMU exit status 0: the guest reset (a triple fault), or " \
            "gdb killed it"
    return "QEMU exit status %s (%s)" % (
        "-" if end.status is None else end.status, end.describe())


def _show(path):
    """PATH relative to the current directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def run_with_gdb(argv, workdir, gdbinit):
    """QEMU in the background (its own session, so that Ctrl-C reaches gdb
    only), gdb in the foreground; QEMU ends when gdb does."""
    with open(os.path.join(workdir, "qemu.stderr"), "wb") as err:
        proc = qemu.launch(argv, stdin=subprocess.DEVNULL, stdout=err,
                           stderr=err, start_new_session=True)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        status = subprocess.call(["gdb", "-q", "-x", gdbinit])
    except OSError as exc:
        _say("cannot run gdb: %s" % exc.strerror)
        status = 1
    finally:
        signal.signal(signal.SIGINT, previous)
        ended = _stop(proc)
        _say("QEMU ended with gdb" if ended is None
             else _describe(qemu.Exit(ended)))
    return status


def run_waiting(argv, timeout):
    """QEMU in the foreground (console on this terminal) until it ends or
    TIMEOUT seconds pass; return 0 after a clean power-off."""
    try:
        end = qemu.run(argv, timeout, stdin=None)
    except KeyboardInterrupt:
        return 130
    if end.ending == qemu.Ending.TIMED_OUT:
        _say("timeout: QEMU killed after %g s" % timeout)
        return EXIT_TIMEOUT
    _say(_describe(end))
    return 0 if end.ending == qemu.Ending.POWER_OFF else end.status


def main(argv):
    args = parse_args(argv)
    try:
        if args.test:
            target = case_target(args.test, args.userland, args.file,
                                 args.kopts)
        else:
            target = program_target(args.program, args.args, args.userland,
                                    args.file, args.kopts, args.memory,
                                    args.swap_mb)
        workdir = args.out or os.path.join(REPO, "build", "debug",
                                           target.name)
        start_gdb = args.gdb == "yes" or (
            args.gdb == "auto" and sys.stdin.isatty() and sys.stdout.isatty())
        for path in (args.iso, args.kernel_elf):
            if not os.path.exists(path):
                raise CaseError("%s does not exist (make debug builds it)"
                                % path)
        port = pick_port(args.port)
        console = os.path.join(workdir, "console.txt") if start_gdb else None
        qemu_argv = prepare(target, workdir, args.iso, console, port,
                            args.qemu_log)
        gdbinit = write_gdbinit(workdir, target, args.kernel_elf, port)
    except (CaseError, payload.ImageError, OSError) as err:
        print("make debug: error: %s" % err, file=sys.stderr)
        return EXIT_USAGE
    rel = _show(gdbinit)
    _say("%s, kernel command line '%s'" % (target.label, target.cmdline))
    _say("work directory %s (disks, qemu.argv, kernel.log%s%s)"
         % (_show(workdir), ", console.txt" if start_gdb else "",
            ", qemu-int.log" if args.qemu_log else ""))
    if start_gdb:
        _say("starting gdb -x %s; QEMU ends when gdb does" % rel)
        return run_with_gdb(qemu_argv, workdir, gdbinit)
    _say("QEMU waits for GDB on 127.0.0.1:%d; attach with: gdb -x %s"
         % (port, rel))
    return run_waiting(qemu_argv, args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
