"""Helpers shared by the tool tests: running make and reading a child's
output with a deadline."""

import os
import queue
import subprocess
import threading
import time

from harness.makeenv import make_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class LineReader:
    """Reads a child's output lines on a thread, so that a test can wait
    for one with a deadline; keeps every line for failure messages."""

    def __init__(self, stream):
        self.lines = []
        self._queue = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,),
                         daemon=True).start()

    def _pump(self, stream):
        for raw in iter(stream.readline, b""):
            self._queue.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
        self._queue.put(None)

    def wait_for(self, predicate, seconds):
        """The first new line for which PREDICATE holds, or None when the
        output ends or SECONDS pass first."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.lines.append(line)
            if predicate(line):
                return line


def stop_group(proc):
    """End PROC (started with start_new_session=True) and everything it
    started, by its process-group id; wait for it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
    proc.wait()


def run_make(args, seconds):
    """Run make ARGS in the repository; return the CompletedProcess (output
    in .stdout, both streams)."""
    return subprocess.run(["make", "--no-print-directory"] + list(args),
                          cwd=REPO, env=make_env(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=seconds)
