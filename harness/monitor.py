"""A small client of QEMU's machine protocol (QMP) on a unix socket.

The harness starts QEMU with `-qmp unix:PATH,server=on,wait=off` (see
images/qemu.py) and talks to it only to learn where a run went wrong:
the CPU state when the watchdog fires or the guest resets.  Every call is
bounded by a timeout, so a QEMU that does not answer cannot stall a test.
"""

import json
import socket
import time


class MonitorError(Exception):
    """QEMU's monitor could not be reached or did not answer."""


class Monitor:
    """One QMP connection; a command not answered within `timeout`
    seconds fails.  Events that arrive between commands are kept in
    `events` (a list of the event dicts, oldest first)."""

    def __init__(self, path, timeout=2.0):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.events = []
        self._buffer = b""

    @property
    def connected(self):
        return self.sock is not None

    def try_connect(self):
        """Connect and leave capabilities negotiation mode; return True on
        success, False while QEMU has not made its socket yet.  Raises
        MonitorError when QEMU accepts but does not speak QMP."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.path)
        except OSError:
            sock.close()
            return False
        self.sock = sock
        try:
            self._read_message(self.timeout)          # the greeting
            self.execute("qmp_capabilities")
        except MonitorError:
            self.close()
            raise
        return True

    def connect(self, timeout):
        """Connect, retrying for up to TIMEOUT seconds; MonitorError if
        that fails."""
        deadline = time.monotonic() + timeout
        while not self.try_connect():
            if time.monotonic() >= deadline:
                raise MonitorError("no QMP socket at %s" % self.path)
            time.sleep(0.01)

    def execute(self, command, arguments=None, timeout=None):
        """Run QMP COMMAND; return its `return` value.  MonitorError on an
        error answer, a closed socket or no answer within TIMEOUT s (None:
        the monitor's own timeout)."""
        if self.sock is None:
            raise MonitorError("not connected")
        message = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(message).encode() + b"\n")
        except OSError as err:
            raise MonitorError("QMP %s: %s" % (command, err)) from None
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            answer = self._read_message(deadline - time.monotonic())
            if "event" in answer:
                self.events.append(answer)
            elif "error" in answer:
                raise MonitorError("QMP %s: %s" % (
                    command, answer["error"].get("desc", answer["error"])))
            elif "return" in answer:
                return answer["return"]

    def human(self, command_line):
        """Run a human monitor command (`info registers`, `x /2gx ADDR`)
        and return its text."""
        return self.execute("human-monitor-command",
                            {"command-line": command_line})

    def poll_events(self):
        """Read the events that have arrived, without waiting; return the
        new ones (they are also added to `events`)."""
        new = []
        while self.sock is not None:
            try:
                message = self._read_message(0)
            except MonitorError:
                break
            if "event" in message:
                new.append(message)
        self.events += new
        return new

    def _read_message(self, timeout):
        """Return the next JSON message, waiting at most TIMEOUT s (0: only
        one that is already here)."""
        deadline = time.monotonic() + max(timeout, 0)
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            self.sock.settimeout(left if left > 0 else 0)
            try:
                chunk = self.sock.recv(65536)
            except (BlockingIOError, socket.timeout):
                raise MonitorError("no answer from QEMU's monitor within "
                                   "%.1f s" % max(timeout, 0)) from None
            except OSError as err:
                raise MonitorError("QMP socket: %s" % err) from None
            if not chunk:
                raise MonitorError("QEMU closed its monitor")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            raise MonitorError("QMP sent something that is not JSON: %r"
                               % line[:80]) from None

    def close(self):
        """Close the connection (QEMU keeps running)."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
