"""Asking a running QEMU where the guest is: the CPU state when the
watchdog fires (a hang) or when the guest resets (a triple fault).

The harness starts QEMU with a QMP socket and `-action shutdown=pause`
(images/qemu.py, docs/interfaces.md section 1), and a Watcher follows the
run through harness.monitor:

  * the guest resets (triple fault) or powers off through ACPI: QEMU
    pauses instead of exiting; the Watcher reads the CPU state of a reset
    (the registers are those of the fault: nothing has been reset yet) and
    tells QEMU to quit, which exits with status 0 as `-no-reboot` alone
    would;
  * the deadline passes: the Watcher stops the CPU and reads its state
    before the watchdog kills QEMU.

A CpuState holds the registers, user or kernel mode, the running thread
and process (read through the kernel's `current` pointer, harness.elfinfo)
and the return addresses of a frame-pointer walk of the mode it was in
(the kernel and the user programs are both built with frame pointers).
Every step is bounded; what could not be read is said in `notes`.
"""

import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from harness.elfinfo import ElfInfoError, kernel_layout
from harness.monitor import Monitor, MonitorError

# The kernel's frame walk stops where kernel/panic.c's backtrace_print
# stops: a frame pointer outside the kernel's half or misaligned, or a
# return address outside the kernel image.  A user program's stops at a
# frame pointer or return address outside user space (its _start begins
# with rbp 0) or on a page that is not resident.
DMAP_BASE = 0xffff800000000000
KERNEL_VMA = 0xffffffff80000000
USER_TOP = 0x800000000000       # the end of the lower canonical half
STACK_DEPTH = 32
RFLAGS_IF = 1 << 9
SAMPLES = 5                     # tries for a sample outside an interrupt
SAMPLE_GAP = 0.02               # seconds the CPU runs between tries
COMMAND_TIMEOUT = 2.0           # one monitor command (times the factor)
CONNECT_TIMEOUT = 1.0

_REGISTER_RE = re.compile(r"\b([A-Z][A-Z0-9]*)\s*=([0-9a-fA-F]+)\b")
# `IDT=     BASE LIMIT` and `GDT=...`: the descriptor-table registers.
_TABLE_RE = re.compile(r"^(IDT|GDT)=\s+([0-9a-fA-F]+) ([0-9a-fA-F]+)",
                       re.MULTILINE)
_GPRS = ("RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP", "R8", "R9",
         "R10", "R11", "R12", "R13", "R14", "R15")


@dataclass
class CpuState:
    """The guest CPU at one moment: registers by name (`RIP`, `RAX`, ...,
    `CPL`, `CR2`, `HLT`), the running thread and process when they could
    be read, the frame walk of the mode the CPU was in (return addresses,
    hex: the kernel's, or the user program's in user mode), and notes on
    what could not be read."""
    registers: Dict[str, int]
    tables: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    thread: Optional[str] = None
    process: Optional[str] = None
    pid: Optional[int] = None
    frames: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    @property
    def rip(self):
        return "0x%x" % self.registers.get("RIP", 0)

    @property
    def user_mode(self):
        return self.registers.get("CPL") == 3

    @property
    def interrupts_on(self):
        return bool(self.registers.get("RFL", 0) & RFLAGS_IF)

    def who(self):
        """Return `user mode, process 'NAME' (pid N), thread 'T'` or the
        parts of it that are known."""
        words = ["user mode" if self.user_mode else "kernel mode"]
        if self.process is not None:
            words.append("process '%s' (pid %s)" % (self.process, self.pid))
        elif self.thread is not None:
            words.append("no user process")
        if self.thread is not None:
            words.append("thread '%s'" % self.thread)
        if self.registers.get("HLT"):
            words.append("halted (waiting for an interrupt)")
        return ", ".join(words)

    def register_lines(self):
        """Return the general registers, four a line, then rip, rflags,
        cr2 and cr3, then cr0, cr4 and the IDT and GDT registers (base
        and limit)."""
        names = [n for n in _GPRS if n in self.registers]
        lines = [" ".join("%s=%016x" % (n.lower(), self.registers[n])
                          for n in names[i:i + 4])
                 for i in range(0, len(names), 4)]
        lines.append(" ".join("%s=%x" % (n.lower(), self.registers[n])
                              for n in ("RIP", "RFL", "CR2", "CR3", "CS")
                              if n in self.registers))
        system = ["%s=%x" % (n.lower(), self.registers[n])
                  for n in ("CR0", "CR4") if n in self.registers]
        system += ["%sr=%x limit %x" % (n.lower(), *self.tables[n])
                   for n in ("IDT", "GDT") if n in self.tables]
        if system:
            lines.append(" ".join(system))
        return lines


def parse_tables(text):
    """Return {`IDT`/`GDT`: (base, limit)} of `info registers` TEXT."""
    return {name: (int(base, 16), int(limit, 16))
            for name, base, limit in _TABLE_RE.findall(text)}


def parse_registers(text):
    """Return the registers of `info registers` TEXT by name (hex values;
    `CPL` and `HLT` as numbers)."""
    registers = {}
    for name, value in _REGISTER_RE.findall(text):
        registers.setdefault(name, int(value, 16))
    return registers


def read_words(monitor, address, count):
    """Return COUNT 8-byte words of guest virtual memory at ADDRESS (read
    through the CPU's current page tables); MonitorError when they cannot
    be read."""
    text = monitor.human("x /%dgx 0x%x" % (count, address))
    words = [int(w, 16) for line in text.splitlines() if ":" in line
             for w in line.split(":", 1)[1].split()]
    if len(words) != count:
        raise MonitorError("cannot read 0x%x: %s" % (address, text.strip()))
    return words


def read_string(monitor, address, size):
    """Return the NUL-terminated string of at most SIZE bytes at
    ADDRESS."""
    words = read_words(monitor, address, (size + 7) // 8)
    raw = b"".join(w.to_bytes(8, "little") for w in words)[:size]
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def read_state(monitor, elf):
    """Return the CpuState of the stopped CPU; ELF (the kernel) locates
    the running thread and process."""
    text = monitor.human("info registers")
    state = CpuState(parse_registers(text), parse_tables(text))
    if "RIP" not in state.registers:
        raise MonitorError("no RIP in QEMU's `info registers`")
    try:
        _read_who(monitor, state, kernel_layout(elf))
    except (ElfInfoError, MonitorError) as err:
        state.notes.append("running thread unknown: %s" % err)
    state.frames = _walk_frames(monitor, state.registers.get("RBP", 0),
                                state.notes, state.user_mode)
    return state


def _read_who(monitor, state, layout):
    """Fill in STATE's thread, process and pid from the kernel's `current`
    pointer."""
    thread = read_words(monitor, layout.current, 1)[0]
    if thread < DMAP_BASE:
        raise MonitorError("`current` is 0x%x, not a kernel pointer" % thread)
    state.thread = read_string(monitor, thread + layout.offset("thread",
                                                               "name"), 32)
    process = read_words(monitor, thread + layout.offset("thread",
                                                         "process"), 1)[0]
    if process:
        state.pid = read_words(monitor, process + layout.offset(
            "process", "pid"), 1)[0] & 0xffffffff
        state.process = read_string(monitor, process + layout.offset(
            "process", "name"), 32)


def _walk_frames(monitor, rbp, notes, user):
    """Return the return addresses (hex) of the frame-pointer chain from
    RBP: the user program's when USER, else the kernel's.  In user mode the
    CPU's page tables are the program's, so the monitor reads its stack."""
    if user:
        frame_ok = lambda fp: 0 < fp < USER_TOP
        return_ok = lambda ret: 0 < ret < USER_TOP
    else:
        frame_ok = lambda fp: fp >= DMAP_BASE
        return_ok = lambda ret: ret >= KERNEL_VMA
    frames = []
    for _ in range(STACK_DEPTH):
        if rbp & 7 or not frame_ok(rbp):
            break
        try:
            rbp, ret = read_words(monitor, rbp, 2)
        except MonitorError as err:
            notes.append("stack walk stopped: %s" % err)
            break
        if not return_ok(ret):
            break
        frames.append("0x%x" % ret)
    return frames


def sample_running(monitor, elf):
    """Stop the running CPU and return its CpuState.  A sample taken
    inside an interrupt handler (kernel mode, interrupts off) says little
    about a hang, so the CPU runs a moment more and is sampled again, up
    to SAMPLES times; the CPU is left stopped."""
    state = None
    for attempt in range(SAMPLES):
        if attempt:
            monitor.execute("cont")
            time.sleep(SAMPLE_GAP)
        monitor.execute("stop")
        state = read_state(monitor, elf)
        if state.user_mode or state.interrupts_on:
            break
    return state


class Watcher:
    """Follows one QEMU run through its QMP socket (see the module's
    comment); PATIENCE multiplies every time limit (the harness's timeout
    factor).  After the run, `reset_state` or `hang_state` holds the CPU
    state if one was read, and `problem` says why one could not be."""

    def __init__(self, socket_path, kernel_elf, patience=1.0):
        self.monitor = Monitor(socket_path, COMMAND_TIMEOUT * patience)
        self.connect_timeout = CONNECT_TIMEOUT * patience
        self.kernel_elf = kernel_elf
        self.reset_state = None
        self.hang_state = None
        self.problem = None
        self.done = False           # QEMU told to quit, or the monitor failed

    def poll(self):
        """Called while QEMU runs: connect once the socket is there, and
        answer a guest reset or shutdown that paused QEMU."""
        if self.done:
            return
        try:
            if not self.monitor.connected:
                if not self.monitor.try_connect():
                    return
                status = self.monitor.execute("query-status")
                if status.get("status") == "shutdown":
                    self._paused_by("unknown")
                    return
            for event in self.monitor.poll_events():
                if event.get("event") == "SHUTDOWN" and \
                        event.get("data", {}).get("guest"):
                    self._paused_by(event["data"].get("reason"))
        except MonitorError as err:
            self.problem = str(err)
            self.done = True
            self.monitor.close()

    def _paused_by(self, reason):
        """The guest reset or shut down and QEMU paused: keep the CPU state
        of a reset, then let QEMU exit."""
        if reason != "guest-shutdown":
            try:
                self.reset_state = read_state(self.monitor, self.kernel_elf)
            except MonitorError as err:
                self.problem = "CPU state at the reset unknown: %s" % err
        self.done = True
        self.monitor.execute("quit")
        self.monitor.close()

    def at_deadline(self, proc):
        """Called when the watchdog is about to kill QEMU: read where the
        CPU is (bounded: each monitor command has its time limit)."""
        if self.done:
            return
        self.done = True
        try:
            if not self.monitor.connected:
                self.monitor.connect(self.connect_timeout)
            self.hang_state = sample_running(self.monitor, self.kernel_elf)
        except MonitorError as err:
            self.problem = "CPU state at the timeout unknown: %s" % err
        finally:
            self.monitor.close()
