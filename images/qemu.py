"""The frozen QEMU command lines of docs/interfaces.md, section 1 (two
boot paths: QEMU loading the kernel itself, and GRUB from the ISO), the
one way Folio's tools run QEMU (under a deadline) and the one reading of
how it ended.

The harness, `images/build --boot`, `make bench`, `make fuzz` (through the
harness) and `make debug` build their settings with settings_for(), their
argv with qemu_argv(), start QEMU here (run(), or launch() for a QEMU that
runs beside gdb) and read its end from an Exit: exactly one place knows
the machine Folio runs on, one watchdog, and one table of what an exit
status means.
"""

import enum
import hashlib
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

QEMU_BINARY = "qemu-system-x86_64"

# Exit statuses of QEMU (contract section 1) and what they mean.
EXIT_POWER_OFF = 33
EXIT_PANIC = 35
EXIT_HANG = 37
EXIT_REFUSED = 39
EXIT_RESET = 0
EXIT_QEMU_ERROR = 1


class KvmUnavailable(Exception):
    """KVM was asked for but /dev/kvm cannot be opened."""


class BootMissing(Exception):
    """The file a boot path needs (the ISO) does not exist."""


@dataclass(frozen=True)
class IsoBoot:
    """Boot path: the BIOS boots GRUB from the ISO on the CD-ROM drive,
    and GRUB reads the kernel command line from the payload disk
    (docs/interfaces.md, sections 1 and 2).  DirectBoot, below, is the
    other boot path, with the same methods; QemuSettings.boot holds the
    one a run uses."""
    iso: str
    name = "iso"

    def argv(self, settings):
        """The QEMU words that boot SETTINGS this way (the ISO's GRUB
        reads the command line from the payload disk itself)."""
        return ["-boot", "d", "-drive",
                "file=%s,media=cdrom,if=ide,index=2,readonly=on"
                % _drive_path(self.iso)]

    def check(self):
        """Raise BootMissing unless the ISO exists."""
        if not os.path.exists(self.iso):
            raise BootMissing(self.iso)

    def check_cmdline(self, cmdline):
        """Nothing to check here: the payload disk's environment block
        carries CMDLINE, and refuses one it cannot (images/foliofs.py)."""


class BootUnfit(Exception):
    """A boot path cannot carry what was asked of it: a command line it
    cannot pass, a firmware it cannot use, a firmware file that is
    missing.  The message names the limit; raised before QEMU starts."""


# The direct path: the most command-line bytes the kernel keeps
# (kernel/bootinfo.h, BOOT_CMDLINE_MAX less its NUL); QEMU's PVH option
# ROM copies up to 4095.
DIRECT_CMDLINE_MAX = 1023
QBOOT_ROM = "qboot.rom"
BOOT_PATHS = ("direct", "iso")
FIRMWARES = ("auto", "qboot", "seabios")


@dataclass(frozen=True)
class DirectBoot:
    """Boot path: QEMU loads the kernel's ELF file itself (-kernel) and
    the firmware enters its PVH entry with the command line of -append
    (docs/interfaces.md, section 1).  bios is the firmware file (qboot.rom)
    or None for QEMU's default, SeaBIOS."""
    kernel: str
    bios: Optional[str] = None
    name = "direct"

    def argv(self, settings):
        """The QEMU words that boot SETTINGS this way, with its kernel
        command line."""
        words = ["-bios", self.bios] if self.bios else []
        return words + ["-kernel", self.kernel, "-append", settings.cmdline]

    def check(self):
        """Raise BootMissing unless the kernel and the firmware exist."""
        for path in (self.kernel, self.bios):
            if path and not os.path.exists(path):
                raise BootMissing(path)

    def check_cmdline(self, cmdline):
        """Raise BootUnfit unless -append can carry CMDLINE whole to the
        kernel."""
        if "\0" in cmdline:
            raise BootUnfit("the kernel command line holds a NUL byte, which "
                            "QEMU's -append cannot pass")
        size = len(cmdline.encode("utf-8"))
        if size > DIRECT_CMDLINE_MAX:
            raise BootUnfit(
                "the kernel command line is %d bytes; booted directly "
                "(-append) the kernel keeps at most %d (BOOT_CMDLINE_MAX in "
                "kernel/bootinfo.h)" % (size, DIRECT_CMDLINE_MAX))


def firmware_dirs(binary=QEMU_BINARY):
    """The folders QEMU searches for firmware files (-bios NAME): its
    installation's share/qemu beside its bin/, and /usr/share/qemu."""
    dirs = []
    found = shutil.which(binary)
    if found:
        prefix = os.path.dirname(os.path.dirname(os.path.realpath(found)))
        dirs.append(os.path.join(prefix, "share", "qemu"))
    if "/usr/share/qemu" not in dirs:
        dirs.append("/usr/share/qemu")
    return dirs


def find_qboot(binary=QEMU_BINARY):
    """The path of qboot.rom (Debian's qemu-system-data ships it), or None
    when QEMU's firmware folders lack it."""
    for folder in firmware_dirs(binary):
        path = os.path.join(folder, QBOOT_ROM)
        if os.path.isfile(path):
            return path
    return None


def boot_via_requested(flag=None):
    """The boot path asked for: FLAG, else FOLIO_BOOT, else `direct`."""
    return flag or os.environ.get("FOLIO_BOOT") or "direct"


def firmware_requested(flag=None):
    """The firmware asked for: FLAG, else FOLIO_FIRMWARE, else `auto`."""
    return flag or os.environ.get("FOLIO_FIRMWARE") or "auto"


def add_boot_options(add, via_help, firmware_help):
    """Declare the options --via and --firmware with ADD (argparse's
    add_argument or pytest's addoption: they take the same words), their
    defaults from FOLIO_BOOT and FOLIO_FIRMWARE; VIA_HELP and
    FIRMWARE_HELP say what they mean to the tool."""
    add("--via", choices=BOOT_PATHS, default=boot_via_requested(),
        help=via_help + "; also FOLIO_BOOT")
    add("--firmware", choices=FIRMWARES, default=firmware_requested(),
        help=firmware_help + "; also FOLIO_FIRMWARE")


def boot_path(via, iso, kernel, firmware="auto", binary=QEMU_BINARY,
              note=None):
    """Return the boot path VIA names (`direct` or `iso`) booting ISO or
    the kernel ELF KERNEL, with FIRMWARE: `auto` (qboot where QEMU has
    it, else SeaBIOS, told to NOTE, a function of one line), `qboot` or
    `seabios`.  Raises BootUnfit for a path or firmware it does not know,
    qboot asked for on the ISO path (qboot boots no CD) and a qboot.rom
    asked for that QEMU lacks."""
    if via not in BOOT_PATHS:
        raise BootUnfit("unknown boot path %r: use one of %s (--via, "
                        "FOLIO_BOOT)" % (via, ", ".join(BOOT_PATHS)))
    if firmware not in FIRMWARES:
        raise BootUnfit("unknown firmware %r: use one of %s (--firmware, "
                        "FOLIO_FIRMWARE)" % (firmware, ", ".join(FIRMWARES)))
    if via == "iso":
        if firmware == "qboot":
            raise BootUnfit("qboot cannot boot the ISO: it boots no CD; "
                            "the ISO path always uses SeaBIOS")
        return IsoBoot(iso)
    if firmware == "seabios":
        return DirectBoot(kernel)
    qboot = find_qboot(binary)
    if qboot:
        return DirectBoot(kernel, qboot)
    where = " or ".join(firmware_dirs(binary))
    if firmware == "qboot":
        raise BootUnfit("firmware %s not found in %s (Debian's "
                        "qemu-system-data ships it); use --firmware "
                        "seabios or auto" % (QBOOT_ROM, where))
    if note:
        note("note: %s not found in %s: booting directly with SeaBIOS, "
             "about 0.03 s more a boot (docs/bench.md, \"Boot time\")"
             % (QBOOT_ROM, where))
    return DirectBoot(kernel)


@dataclass
class QemuSettings:
    """What varies between two boots of Folio.

    boot is the boot path (IsoBoot or DirectBoot); cmdline the kernel
    command line (the payload disk holds it too); console and log are file
    paths for COM1 and COM2, None sends that port to QEMU's stdio (a person
    watching the console on a terminal)."""
    boot: "IsoBoot | DirectBoot"
    payload: str
    console: Optional[str]
    log: Optional[str]
    cmdline: str = ""
    memory: str = "64M"
    swap: Optional[str] = None
    kvm: bool = False
    binary: str = QEMU_BINARY
    debug_exit: bool = True     # False: test the kernel's ACPI fallback
    # Injected disk errors: drive ("payload" or "swap") -> a config file of
    # QEMU's blkdebug driver, which then sits between the drive and its
    # image and fails the requests the file names.
    blkdebug: Optional[Dict[str, str]] = None
    # A QMP socket for the harness's diagnosis (harness/probe.py): with it
    # a guest reset or ACPI power-off pauses QEMU instead of ending it, so
    # that the CPU state can be read before the harness tells QEMU to quit.
    qmp_socket: Optional[str] = None
    # Tools' own options after the frozen ones: make debug's -gdb and -d,
    # make bench's -icount.
    extra: Tuple[str, ...] = ()


def settings_for(boot, images, console, log, memory="64M", kvm=False,
                 debug_exit=True, blkdebug=None, qmp_socket=None, extra=()):
    """Return the QemuSettings booting BOOT (a boot path) with IMAGES (a
    payload.Images: the payload disk and the swap disk, if any, and the
    kernel command line); the rest as QemuSettings says.  The one place
    every tool builds its settings.  Raises BootUnfit when BOOT cannot
    carry the command line."""
    boot.check_cmdline(images.cmdline)
    return QemuSettings(boot=boot, payload=images.payload, swap=images.swap,
                        cmdline=images.cmdline, console=console, log=log,
                        memory=memory, kvm=kvm,
                        debug_exit=debug_exit, blkdebug=blkdebug,
                        qmp_socket=qmp_socket, extra=tuple(extra))


class Ending(enum.Enum):
    """How a QEMU process ended (contract section 1), as Exit.ending
    decides it from the exit status; the value is how it is told."""
    NOT_RUN = "QEMU was not run"
    NOT_STARTED = "QEMU did not start"
    TIMED_OUT = "killed by the watchdog"
    POWER_OFF = "clean power-off"
    PANIC = "kernel panic"
    HANG = "kernel hang found by the kernel: deadlock or soft lockup"
    REFUSED = "kernel refused its command line"
    RESET = "guest reset: triple fault or reboot"
    QEMU_ERROR = "QEMU itself failed"
    SIGNAL = "killed by a signal"
    OTHER = "unexpected exit status"


_ENDINGS = {EXIT_POWER_OFF: Ending.POWER_OFF, EXIT_PANIC: Ending.PANIC,
            EXIT_HANG: Ending.HANG, EXIT_REFUSED: Ending.REFUSED,
            EXIT_RESET: Ending.RESET, EXIT_QEMU_ERROR: Ending.QEMU_ERROR}


def _drive_path(path):
    """Escape PATH for an option value (a comma is written twice)."""
    return str(path).replace(",", ",,")


def _serial(path):
    """Return the -serial argument for PATH (None = stdio)."""
    return "stdio" if path is None else "file:%s" % path


def _disk(s, role, image, index):
    """Return the -drive value of disk ROLE (IMAGE at IDE INDEX), through
    blkdebug when S injects errors on it."""
    config = (s.blkdebug or {}).get(role)
    if config is None:
        return "file=%s,format=raw,if=ide,index=%d" % (_drive_path(image), index)
    return ("driver=raw,file.driver=blkdebug,file.config=%s,"
            "file.image.filename=%s,if=ide,index=%d"
            % (_drive_path(config), _drive_path(image), index))


# The CPU of both boot paths: QEMU's qemu64 with SMEP, SMAP and UMIP
# (docs/kernel.md, "What a program can do to the CPU"), and without the
# TSC in CPUID, so that GRUB skips its 55 ms calibration of the TSC
# against the PIT; rdtsc still runs (docs/interfaces.md, section 1).
CPU_MODEL = "qemu64,+smep,+smap,+umip,-tsc"


def qemu_argv(s):
    """Return the QEMU argv (a list of words) for QemuSettings S.  The
    machine has no VGA and no network card on either path: Folio uses
    neither, and without them QEMU and SeaBIOS start sooner (docs/bench.md,
    "Boot time")."""
    argv = [s.binary, "-machine", "pc", "-cpu", CPU_MODEL, "-m", s.memory,
            "-smp", "1", "-display", "none", "-monitor", "none",
            "-no-reboot", "-vga", "none", "-nic", "none"] + s.boot.argv(s) + \
        ["-drive", _disk(s, "payload", s.payload, 0)]
    if s.swap:
        argv += ["-drive", _disk(s, "swap", s.swap, 1)]
    argv += ["-serial", _serial(s.console), "-serial", _serial(s.log)]
    if s.debug_exit:
        argv += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if s.kvm:
        argv += ["-accel", "kvm"]
    if s.qmp_socket:
        argv += ["-qmp", "unix:%s,server=on,wait=off"
                 % _drive_path(s.qmp_socket), "-action", "shutdown=pause"]
    return argv + list(s.extra)


# Longest unix socket path used in place (sun_path holds 108 bytes).
SOCKET_PATH_MAX = 100


def qmp_socket_path(directory):
    """The QMP socket of a run whose files are in DIRECTORY: qmp.sock
    there, or in the temporary directory under a name derived from it
    when that path is too long for a unix socket."""
    path = os.path.join(directory, "qmp.sock")
    if len(path) <= SOCKET_PATH_MAX:
        return path
    digest = hashlib.sha1(path.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), "folio-%s.qmp" % digest)


def kvm_requested(flag=False):
    """Return True when KVM is asked for, by FLAG or FOLIO_KVM=1."""
    return flag or os.environ.get("FOLIO_KVM") == "1"


def check_kvm():
    """Raise KvmUnavailable unless /dev/kvm can be opened read-write."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as err:
        raise KvmUnavailable("KVM was requested (--kvm or FOLIO_KVM=1) but "
                             "/dev/kvm cannot be opened: %s; unset FOLIO_KVM "
                             "to use TCG" % err.strerror) from None
    os.close(fd)


@dataclass(frozen=True)
class Exit:
    """How a QEMU process ended: status is its exit status (None when the
    watchdog killed it or it never ran, negative for a signal), seconds
    its wall time, start_error why it could not be started.  ending says
    what that means, in one place for every tool."""
    status: Optional[int] = None
    timed_out: bool = False
    seconds: float = 0.0
    start_error: Optional[str] = None

    @property
    def ending(self):
        """The Ending of this exit."""
        if self.start_error:
            return Ending.NOT_STARTED
        if self.timed_out:
            return Ending.TIMED_OUT
        if self.status is None:
            return Ending.NOT_RUN
        if self.status < 0:
            return Ending.SIGNAL
        return _ENDINGS.get(self.status, Ending.OTHER)

    def describe(self):
        """A short description of the exit status (`kernel panic`,
        `killed by signal 9`)."""
        if self.ending == Ending.SIGNAL:
            return "killed by signal %d" % -self.status
        return self.ending.value

    @property
    def debug_exit_value(self):
        """The value the guest may have written to the debug-exit port
        (port 0xf4) for QEMU to exit with this status, (value << 1) | 1;
        None for an even status, a signal (a negative status) or none."""
        if self.status is None or self.timed_out or self.status < 0 or \
                not self.status % 2:
            return None
        return self.status >> 1

    def summary(self):
        """One line saying how QEMU ended, for a report."""
        if self.ending == Ending.NOT_STARTED:
            return "QEMU did not start: %s" % self.start_error
        if self.ending == Ending.TIMED_OUT:
            return "QEMU killed by the watchdog after %.1f s" % self.seconds
        if self.ending == Ending.NOT_RUN:
            return Ending.NOT_RUN.value
        return "QEMU exit status %d (%s) after %.1f s" % (
            self.status, self.describe(), self.seconds)


def launch(argv, **popen):
    """Start QEMU ARGV (subprocess.Popen's keyword arguments POPEN) and
    return the process; OSError when it cannot be started."""
    return subprocess.Popen(argv, **popen)


def run(argv, timeout=None, stdin=subprocess.DEVNULL, stdout=None,
        stderr=None, poll: Optional[Callable[[], None]] = None,
        before_kill: Optional[Callable[[subprocess.Popen], None]] = None,
        poll_seconds=0.05):
    """Run QEMU ARGV and return its Exit.

    STDIN, STDOUT and STDERR are handed to subprocess.Popen (None: this
    process's own).  POLL, when given, is called every POLL_SECONDS while
    QEMU runs and once after it ends.  After TIMEOUT seconds (None: no
    limit) BEFORE_KILL, when given, is called with the process (still
    running: it may ask QEMU something), then QEMU is killed.  The exit is
    seen the moment it happens (a pidfd), so the wall time is exact.

    Raises OSError when QEMU cannot be started.  An exception while
    waiting (Ctrl-C) kills QEMU before it propagates: no QEMU outlives
    this call."""
    start = time.monotonic()
    proc = launch(argv, stdin=stdin, stdout=stdout, stderr=stderr)
    watch = _ExitWatch(proc)
    try:
        timed_out = _wait(watch, start, timeout, poll, poll_seconds)
        if timed_out:
            if before_kill:
                before_kill(proc)
            proc.kill()
        status = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        watch.close()
    seconds = time.monotonic() - start
    if poll:
        poll()
    return Exit(None if timed_out else status, timed_out, seconds)


def _wait(watch, start, timeout, poll, poll_seconds):
    """Wait until WATCH's process ends or TIMEOUT seconds from START pass,
    calling POLL in between; return True when the deadline passed first."""
    while True:
        left = None if timeout is None else start + timeout - time.monotonic()
        if left is not None and left <= 0:
            return not watch.ended(0)
        step = left if poll is None else \
            (poll_seconds if left is None else min(poll_seconds, left))
        if watch.ended(step):
            return False
        if poll:
            poll()


class _ExitWatch:
    """Sleeps until a process ends: on a pidfd where the system has them
    (woken the moment it exits), else by Popen.wait's own polling."""

    def __init__(self, proc):
        self.proc = proc
        try:
            self.fd = os.pidfd_open(proc.pid)
        except (AttributeError, OSError):
            self.fd = None

    def ended(self, seconds):
        """Return True once the process has ended, waiting at most SECONDS
        (None: as long as it takes)."""
        if self.fd is None:
            try:
                self.proc.wait(timeout=seconds)
                return True
            except subprocess.TimeoutExpired:
                return False
        return bool(select.select([self.fd], [], [], seconds)[0])

    def close(self):
        """Release the pidfd."""
        if self.fd is not None:
            os.close(self.fd)
