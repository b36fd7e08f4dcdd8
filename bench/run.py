#!/usr/bin/python3
"""make bench: boot the benchmark images and print a table.

First entry: fork + child exit + wait, repeated, for a process with MIB
MiB of touched anonymous memory, with copy-on-write (cow=1) and with eager
copying (cow=0), each timed two ways:

  * inside the guest: the median cycle count of one round (rdtsc), printed
    by userland/tests/bench-fork;
  * as whole QEMU processes: the wall time of a boot running N rounds minus
    that of a boot running none (same image otherwise), divided by N; the
    median over REPEATS boots of each.

Then copy-on-write fork at several sizes, to show that its cost grows with
the number of mapped pages.  This is a benchmark, not a test: nothing in
`make check` depends on it.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from images import payload, qemu  # noqa: E402

BUILD = os.path.join(REPO, "build")     # --build changes it
RESULT_RE = re.compile(r"bench-fork: mib=(\d+) pages=(\d+) iterations=(\d+) "
                       r"median_cycles=(\d+) min_cycles=(\d+)")


def set_build(path):
    """Use the ISO and programs of build directory PATH."""
    global BUILD
    BUILD = os.path.abspath(path)


def boot(name, mib, rounds, cow, memory):
    """Boot bench-fork once; return (wall seconds, median cycles or None)."""
    out = os.path.join(BUILD, "bench", name)
    cmdline = payload.compose_cmdline("run bench-fork %d %d" % (mib, rounds),
                                      "cow=%d" % cow)
    with open(os.path.join(BUILD, "userland", "bench-fork"), "rb") as f:
        images = payload.build_images(out, cmdline, {"bench-fork": f.read()})
    settings = qemu.QemuSettings(
        iso=os.path.join(BUILD, "folio.iso"), payload=images.payload,
        console=os.path.join(out, "console.txt"), log=os.path.join(out, "kernel.log"),
        memory=memory)
    start = time.monotonic()
    status = subprocess.run(qemu.qemu_argv(settings), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            timeout=600).returncode
    wall = time.monotonic() - start
    with open(settings.console, errors="replace") as f:
        console = f.read()
    if status != qemu.EXIT_POWER_OFF:
        sys.exit("bench: %s: QEMU exit status %s (%s); see %s"
                 % (name, status, qemu.describe_exit(status), out))
    m = RESULT_RE.search(console)
    if rounds and not m:
        sys.exit("bench: %s: no result line in %s" % (name, settings.console))
    return wall, int(m.group(4)) if m else None


def measure(mib, rounds, cow, repeats, memory):
    """Return (median guest cycles per round, median wall ms per round)."""
    label = "%s-%dm" % ("cow" if cow else "eager", mib)
    cycles, per_round = [], []
    for i in range(repeats):
        wall_n, c = boot("%s-%d" % (label, i), mib, rounds, cow, memory)
        wall_0, _ = boot("%s-%d-base" % (label, i), mib, 0, cow, memory)
        cycles.append(c)
        per_round.append((wall_n - wall_0) / rounds * 1000)
    return statistics.median(cycles), statistics.median(per_round)


def fmt_cycles(c):
    return "%.2fM" % (c / 1e6) if c >= 1e5 else "%dk" % (c // 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--memory", default="192M")
    ap.add_argument("--build", default=BUILD,
                    help="the build directory holding folio.iso and userland/")
    args = ap.parse_args()
    set_build(args.build)

    cow = measure(args.mib, args.rounds, 1, args.repeats, args.memory)
    eager = measure(args.mib, args.rounds, 0, args.repeats, args.memory)
    print("Folio benchmarks (QEMU TCG; medians of %d boots, %d rounds each)\n"
          % (args.repeats, args.rounds))
    print("%-44s %12s %12s %8s" % ("fork + exit + wait", "cow", "eager", "eager/cow"))
    print("%-44s %12s %12s %7.1fx" % (
        "%d MiB touched, in guest (cycles/round)" % args.mib,
        fmt_cycles(cow[0]), fmt_cycles(eager[0]), eager[0] / cow[0]))
    print("%-44s %12.2f %12.2f %7.1fx" % (
        "%d MiB touched, whole QEMU (ms/round)" % args.mib,
        cow[1], eager[1], eager[1] / cow[1] if cow[1] > 0 else float("inf")))

    print("\n%-44s %12s %12s" % ("copy-on-write fork by size", "pages", "cycles/round"))
    for mib in (1, 4, 16):
        c, _ = measure(mib, args.rounds, 1, 1, args.memory) if mib != args.mib else cow
        print("%-44s %12d %12s" % ("%d MiB touched" % mib, mib * 256, fmt_cycles(c)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
