"""The frozen QEMU command line of docs/interfaces.md, section 1.

Both the harness and `images/build --boot` build their QEMU argv here, so
there is exactly one place that knows the machine Folio runs on.
"""

import os
from dataclasses import dataclass
from typing import Optional

QEMU_BINARY = "qemu-system-x86_64"

# Exit statuses of QEMU (contract section 1) and what they mean.
EXIT_POWER_OFF = 33
EXIT_PANIC = 35
EXIT_RESET = 0
EXIT_QEMU_ERROR = 1

EXIT_MEANINGS = {
    EXIT_POWER_OFF: "clean power-off",
    EXIT_PANIC: "kernel panic",
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


def describe_exit(status):
    """Return a short human description of a QEMU exit status."""
    if status is None:
        return "killed by the watchdog"
    if status < 0:
        return "killed by signal %d" % -status
    return EXIT_MEANINGS.get(status, "unexpected exit status")


def _drive_path(path):
    """Escape PATH for a -drive option value (a comma is written twice)."""
    return str(path).replace(",", ",,")


def _serial(path):
    """Return the -serial argument for PATH (None = stdio)."""
    return "stdio" if path is None else "file:%s" % path


def qemu_argv(s):
    """Return the QEMU argv (a list of words) for QemuSettings S."""
    argv = [s.binary, "-machine", "pc", "-cpu", "qemu64,+smep,+smap,+umip", "-m", s.memory,
            "-smp", "1", "-display", "none", "-monitor", "none",
            "-no-reboot", "-boot", "d",
            "-drive", "file=%s,media=cdrom,if=ide,index=2,readonly=on"
            % _drive_path(s.iso),
            "-drive", "file=%s,format=raw,if=ide,index=0"
            % _drive_path(s.payload)]
    if s.swap:
        argv += ["-drive", "file=%s,format=raw,if=ide,index=1"
                 % _drive_path(s.swap)]
    argv += ["-serial", _serial(s.console), "-serial", _serial(s.log)]
    if s.debug_exit:
        argv += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if s.kvm:
        argv += ["-accel", "kvm"]
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
