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

A third row runs the guest under -icount, where its clock counts executed
instructions: a deterministic measure of the work, free of host noise.

Then copy-on-write fork of the same 16 MiB region with 0 to 16 MiB of it
touched, to show that its cost grows with the number of pages mapped and
resident (page records and page-table entries), not with their contents.

Last, raw disk throughput inside the guest (io_section below): the
`iobench` self-test moves sequential 4 KiB and 64 KiB requests on the swap
disk, reads and writes, timed with the TSC; boots with `ata=pio` and
without (bus-master DMA) take turns, and the table shows medians.

This is a benchmark, not a test: nothing in `make check` depends on it.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

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


def boot(name, mib, rounds, cow, memory, icount=False):
    """Boot bench-fork once; return (wall seconds, median cycles or None).
    ICOUNT runs QEMU with -icount shift=0: the guest's clock then counts
    executed instructions, so the "cycles" are a deterministic measure of
    the work done, whatever the host is doing."""
    out = os.path.join(BUILD, "bench", name)
    cmdline = payload.compose_cmdline("run bench-fork %d %d" % (mib, rounds),
                                      "cow=%d" % cow)
    with open(os.path.join(BUILD, "userland", "bench-fork"), "rb") as f:
        images = payload.build_images(out, cmdline, {"bench-fork": f.read()})
    settings = qemu.QemuSettings(
        iso=os.path.join(BUILD, "folio.iso"), payload=images.payload,
        console=os.path.join(out, "console.txt"), log=os.path.join(out, "kernel.log"),
        memory=memory)
    wall, console, _ = boot_machine(name, out, settings,
                                    ["-icount", "shift=0"] if icount else [])
    m = RESULT_RE.search(console)
    if rounds and not m:
        sys.exit("bench: %s: no result line in %s" % (name, settings.console))
    return wall, int(m.group(4)) if m else None


def boot_machine(name, out, settings, extra_args=()):
    """Boot QemuSettings SETTINGS (QEMU options EXTRA_ARGS added) under a
    600-second deadline, QEMU's stderr in OUT/qemu.stderr; return (wall
    seconds, console text, kernel log text).  Exits the benchmark unless
    the kernel powered off cleanly."""
    argv = qemu.qemu_argv(settings) + list(extra_args)
    with open(os.path.join(out, "qemu.stderr"), "wb") as err:
        end = qemu.run(argv, 600, stdout=subprocess.DEVNULL, stderr=err)
    if end.status != qemu.EXIT_POWER_OFF:
        sys.exit("bench: %s: QEMU exit status %s (%s); see %s"
                 % (name, end.status, qemu.describe_exit(end.status), out))
    with open(settings.console, errors="replace") as f:
        console = f.read()
    with open(settings.log, errors="replace") as f:
        log = f.read()
    return end.seconds, console, log


def measure(mib, rounds, cow, repeats, memory):
    """Return lists, one entry per repeat, of (guest cycles per round, wall
    ms per round) for REPEATS boots of MIB MiB and ROUNDS rounds."""
    label = "%s-%dm" % ("cow" if cow else "eager", mib)
    out = []
    for i in range(repeats):
        wall_n, c = boot("%s-%d" % (label, i), mib, rounds, cow, memory)
        wall_0, _ = boot("%s-%d-base" % (label, i), mib, 0, cow, memory)
        out.append((c, (wall_n - wall_0) / rounds * 1000))
    return out


def compare(mib, rounds, repeats, memory):
    """Boot copy-on-write and eager fork in turn, REPEATS times, so both
    see the same machine; return the medians of (cow cycles, eager cycles,
    cycle ratio, cow ms, eager ms, ms ratio) over the repeats."""
    rows = []
    for _ in range(repeats):
        (c_cyc, c_ms), = measure(mib, rounds, 1, 1, memory)
        (e_cyc, e_ms), = measure(mib, rounds, 0, 1, memory)
        rows.append((c_cyc, e_cyc, e_cyc / c_cyc, c_ms, e_ms,
                     e_ms / c_ms if c_ms > 0 else float("inf")))
    return [statistics.median(col) for col in zip(*rows)]


# ---- raw disk throughput: PIO against bus-master DMA ----

IOBENCH_RE = re.compile(r"iobench: \S+ mode=(\w+) op=(\w+) size=(\d+) requests=(\d+) "
                        r"bytes=(\d+) us=(\d+)")
IO_KINDS = [(4096, "read"), (4096, "write"), (65536, "read"), (65536, "write")]


def boot_iobench(name, options, swap_mb=16):
    """Boot `selftest iobench` once with kernel OPTIONS; return
    {(mode, size, op): MB/s} for every mode the kernel measured."""
    out = os.path.join(BUILD, "bench", name)
    cmdline = payload.compose_cmdline("selftest iobench", options)
    images = payload.build_images(out, cmdline, {}, swap_mb=swap_mb)
    settings = qemu.QemuSettings(
        iso=os.path.join(BUILD, "folio.iso"), payload=images.payload,
        swap=images.swap, console=os.path.join(out, "console.txt"),
        log=os.path.join(out, "kernel.log"))
    _, console, log = boot_machine(name, out, settings)
    if "(iobench) PASS" not in console:
        sys.exit("bench: %s: no '(iobench) PASS' line in %s"
                 % (name, settings.console))
    rates = {}
    for m in IOBENCH_RE.finditer(log):
        mode, op, size, _, nbytes, us = m.groups()
        rates[(mode, int(size), op)] = int(nbytes) / int(us)     # bytes/us = MB/s
    return rates


def io_section(repeats):
    """Boot iobench with ata=pio and without in turn, REPEATS times each,
    and print medians: the PIO figure of the ata=pio boots, and the PIO and
    DMA figures of the DMA boots, which measure both modes in turn, with
    the ratio of those two (median of the boots' ratios)."""
    pio_boots, dma_boots = [], []
    for i in range(repeats):
        pio_boots.append(boot_iobench("iobench-pio-%d" % i, "ata=pio"))
        dma_boots.append(boot_iobench("iobench-dma-%d" % i, ""))
    for boots, modes in ((pio_boots, ["pio"]), (dma_boots, ["pio", "dma"])):
        for rates in boots:
            want = {(m, size, op) for m in modes for size, op in IO_KINDS}
            if set(rates) != want:
                sys.exit("bench: iobench measured %s, expected %s"
                         % (sorted(rates), sorted(want)))
    print("\n%-34s %10s %10s %10s %9s" % ("raw disk throughput, in guest (MB/s)",
                                           "PIO boot", "PIO", "DMA", "DMA/PIO"))
    for size, op in IO_KINDS:
        alone = statistics.median(r[("pio", size, op)] for r in pio_boots)
        pio = statistics.median(r[("pio", size, op)] for r in dma_boots)
        dma = statistics.median(r[("dma", size, op)] for r in dma_boots)
        ratio = statistics.median(r[("dma", size, op)] / r[("pio", size, op)]
                                  for r in dma_boots)
        print("%-34s %10.1f %10.1f %10.1f %8.1fx" % (
            "sequential %d KiB %ss" % (size // 1024, op), alone, pio, dma, ratio))
    print("(medians of %d boots of each kind; PIO and DMA columns and their "
          "ratio from the same boots,\n slices of each mode in turn; PIO boot: "
          "booted with ata=pio)" % repeats)


def fmt_cycles(c):
    return "%.2fM" % (c / 1e6) if c >= 1e5 else "%dk" % (c // 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--memory", default="192M")
    ap.add_argument("--build", default=BUILD,
                    help="the build directory holding folio.iso and userland/")
    ap.add_argument("--only", choices=("fork", "io"),
                    help="run one section only")
    args = ap.parse_args()
    set_build(args.build)
    if args.only != "io":
        fork_sections(args)
    if args.only != "fork":
        io_section(args.repeats)
    return 0


def fork_sections(args):
    """The fork benchmarks: copy-on-write against eager copy."""
    c_cyc, e_cyc, r_cyc, c_ms, e_ms, r_ms = compare(args.mib, args.rounds,
                                                      args.repeats, args.memory)
    print("Folio benchmarks (QEMU TCG; medians of %d boots of each, %d rounds "
          "a boot, copy-on-write and eager boots taking turns)\n"
          % (args.repeats, args.rounds))
    print("%-44s %12s %12s %9s" % ("fork + exit + wait", "cow", "eager", "eager/cow"))
    print("%-44s %12s %12s %8.1fx" % (
        "%d MiB touched, in guest (cycles/round)" % args.mib,
        fmt_cycles(c_cyc), fmt_cycles(e_cyc), r_cyc))
    print("%-44s %12.2f %12.2f %8.1fx" % (
        "%d MiB touched, whole QEMU (ms/round)" % args.mib, c_ms, e_ms, r_ms))
    c_ic = boot("cow-icount", args.mib, args.rounds, 1, args.memory, icount=True)[1]
    e_ic = boot("eager-icount", args.mib, args.rounds, 0, args.memory, icount=True)[1]
    print("%-44s %12s %12s %8.1fx" % (
        "%d MiB touched, instructions (icount units)" % args.mib,
        fmt_cycles(c_ic), fmt_cycles(e_ic), e_ic / c_ic))

    print("\n%-44s %12s %12s" % ("copy-on-write fork, 16 MiB mapped",
                                  "touched", "cycles/round"))
    for mib in (0, 1, 4, 16):
        c = statistics.median(cyc for cyc, _ in measure(mib, args.rounds, 1, 3, args.memory))
        print("%-44s %12d %12s" % ("%d MiB touched, the rest never loaded" % mib,
                                    mib * 256, fmt_cycles(c)))


if __name__ == "__main__":
    sys.exit(main())
