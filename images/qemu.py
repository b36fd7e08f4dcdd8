"""The frozen QEMU command line of docs/interfaces.md, section 1, and the
one way Folio's tools run QEMU: under a deadline.

The harness, `images/build --boot` and `make bench` build their QEMU argv
here and run it with run(), so there is exactly one place that knows the
machine Folio runs on and one watchdog.
"""

import os
import select
import subprocess
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional

QEMU_BINARY = "qemu-system-x86_64"

# Exit statuses of QEMU (contract section 1) and what they mean.
EXIT_POWER_OFF = 33
EXIT_PANIC = 35
EXIT_HANG = 37
EXIT_RESET = 0
EXIT_QEMU_ERROR = 1

EXIT_MEANINGS = {
    EXIT_POWER_OFF: "clean power-off",
    EXIT_PANIC: "kernel panic",
    EXIT_HANG: "kernel hang found by the kernel: deadlock or soft lockup",
    EXIT_RESET: "guest reset: triple fault or reboot",
    EXIT_QEMU_ERROR: "QEMU itself failed",
}


class KvmUnavailable(Exception):
    """KVM was asked for but /dev/kvm cannot be opened."""


@dataclass
class QemuSettings:
    """What varies between two boots of Folio.

    console and log are file paths for COM1 and COM2; None sends that port
    to QEMU's stdio (a person watching the console on a terminal)."""
    iso: str
    payload: str
    console: Optional[str]
    log: Optional[str]
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


def describe_exit(status):
    """Return a short human description of a QEMU exit status."""
    if status is None:
        return "killed by the watchdog"
    if status < 0:
        return "killed by signal %d" % -status
    return EXIT_MEANINGS.get(status, "unexpected exit status")


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


def qemu_argv(s):
    """Return the QEMU argv (a list of words) for QemuSettings S."""
    argv = [s.binary, "-machine", "pc", "-cpu", "qemu64,+smep,+smap,+umip", "-m", s.memory,
            "-smp", "1", "-display", "none", "-monitor", "none",
            "-no-reboot", "-boot", "d",
            "-drive", "file=%s,media=cdrom,if=ide,index=2,readonly=on"
            % _drive_path(s.iso),
            "-drive", _disk(s, "payload", s.payload, 0)]
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
    return argv


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


@dataclass
class Exit:
    """How a QEMU process ended: status is its exit status (None when the
    watchdog killed it, negative for a signal); seconds its wall time."""
    status: Optional[int]
    timed_out: bool
    seconds: float


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
    proc = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr)
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
