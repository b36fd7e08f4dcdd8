#!/usr/bin/python3
"""make bench: boot the benchmark images and print a table.

Every boot goes the direct way (QEMU loads build/release/kernel.elf, qboot
where QEMU has it) unless --via iso or FOLIO_BOOT=iso says otherwise.

First, boot time (boot_section): `selftest trivial` and the do-nothing
kernel (bench/floor.S, its floor) through each boot path, direct and the
ISO, all four taking turns, as wall and CPU time, with the direct path's
targets (at most 1.5x its floor, at most 0.12 s).

Then fork + child exit + wait, repeated, for a process with MIB
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

Then raw disk throughput inside the guest (io_section below): the
`iobench` self-test moves sequential 4 KiB and 64 KiB requests on the swap
disk, reads and writes, timed with the TSC; boots with `ata=pio` and
without (bus-master DMA) take turns, and the table shows medians.

Then swap throughput (swap_section): userland/tests/bench-swap cycles
through four times its user pool, for several swap cluster and read-ahead
sizes, as MB/s of pages swapped out plus in (the kernel's counters over
the program's rdtsc time, at the TSC rate iobench measured in the same
run) and as a ratio to iobench's raw 4 KiB DMA figure of the same run.

Then the file system (fs_section): userland/tests/bench-fs times path
lookups (open + close) in a directory of 1,000 entries and 10 levels deep,
in cycles and under -icount, and reads the disk counters (int $0x43 /
$0x44) around a sequential 64 KiB write, a cold 64 KiB read and a 1 MiB
write, against the bytes moved.

Last, Folio's own swap-heavy tests as whole QEMU processes
(tests_section): each test's disks booted with the kernel of commit
BEFORE_COMMIT (built in a worktree of its own under the build folder) and
with this one, taking turns, medians of the wall times.

This is a benchmark, not a test: nothing in `make check` depends on it.
"""

import argparse
import dataclasses
import os
import re
import resource
import statistics
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from harness import console as serial  # noqa: E402
from harness.cases import load_case  # noqa: E402
from images import payload, qemu  # noqa: E402

BUILD = os.path.join(REPO, "build")     # --build changes it
BOOT = None         # the boot path of every boot but the ISO rows (main)
RESULT_RE = re.compile(r"bench-fork: mib=(\d+) pages=(\d+) iterations=(\d+) "
                       r"median_cycles=(\d+) min_cycles=(\d+)")


def set_build(path, via="direct", firmware="auto"):
    """Use the kernel, ISO and programs of build directory PATH, booted
    the way VIA and FIRMWARE say (qemu.boot_path)."""
    global BUILD, BOOT
    BUILD = os.path.abspath(path)
    try:
        BOOT = qemu.boot_path(
            via, os.path.join(BUILD, "folio.iso"),
            os.path.join(BUILD, "kernel.elf"), firmware,
            note=lambda line: print("bench: " + line, file=sys.stderr))
    except qemu.BootUnfit as err:
        sys.exit("bench: %s" % err)


def boot(name, mib, rounds, cow, memory, icount=False):
    """Boot bench-fork once; return (wall seconds, median cycles or None).
    ICOUNT runs QEMU with -icount shift=0: the guest's clock then counts
    executed instructions, so the "cycles" are a deterministic measure of
    the work done, whatever the host is doing."""
    cmdline = payload.compose_cmdline("run bench-fork %d %d" % (mib, rounds),
                                      "cow=%d" % cow)
    with open(os.path.join(BUILD, "userland", "bench-fork"), "rb") as f:
        files = {"bench-fork": f.read()}
    icount_args = ["-icount", "shift=0"] if icount else []
    wall, console, _ = boot_disks(name, cmdline, files, memory=memory,
                                  extra=icount_args)
    m = RESULT_RE.search(console)
    if rounds and not m:
        sys.exit("bench: %s: no result line in %s"
                 % (name, os.path.join(BUILD, "bench", name, "console.txt")))
    return wall, int(m.group(4)) if m else None


def boot_machine(name, out, settings):
    """Boot QemuSettings SETTINGS under a 600-second deadline, QEMU's
    stderr in OUT/qemu.stderr; return (wall seconds, console text, kernel
    log text).  Exits the benchmark unless the kernel powered off
    cleanly."""
    argv = qemu.qemu_argv(settings)
    with open(os.path.join(out, "qemu.stderr"), "wb") as err:
        end = qemu.run(argv, 600, stdout=subprocess.DEVNULL, stderr=err)
    if end.ending != qemu.Ending.POWER_OFF:
        sys.exit("bench: %s: QEMU exit status %s (%s); see %s"
                 % (name, end.status, end.describe(), out))
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
TSC_RE = re.compile(r"iobench: TSC at (\d+) kHz")


def boot_disks(name, cmdline, files, swap_mb=0, memory="64M", boot=None,
               extra=(), **disk):
    """Build disks holding CMDLINE and FILES ({name: bytes}) in
    BUILD/bench/NAME and boot them once the way BOOT says (a boot path;
    default BOOT, the benchmark's), QEMU options EXTRA added; DISK passes
    free_kb or inode_count on to payload.build_images; return (wall
    seconds, console text, kernel log text).  Exits the benchmark unless
    the kernel powered off."""
    out = os.path.join(BUILD, "bench", name)
    images = payload.build_images(out, cmdline, files, swap_mb=swap_mb, **disk)
    settings = qemu.settings_for(
        boot or BOOT, images,
        os.path.join(out, "console.txt"), os.path.join(out, "kernel.log"),
        memory=memory, extra=extra)
    return boot_machine(name, out, settings)


def boot_iobench(name, options, swap_mb=16):
    """Boot `selftest iobench` once with kernel OPTIONS; return
    ({(mode, size, op): MB/s} for every mode the kernel measured, the TSC
    rate in kHz)."""
    cmdline = payload.compose_cmdline("selftest iobench", options)
    _, console, log = boot_disks(name, cmdline, {}, swap_mb=swap_mb)
    if "(iobench) PASS" not in console:
        sys.exit("bench: %s: no '(iobench) PASS' line in %s"
                 % (name, os.path.join(BUILD, "bench", name, "console.txt")))
    rates = {}
    for m in IOBENCH_RE.finditer(log):
        mode, op, size, _, nbytes, us = m.groups()
        rates[(mode, int(size), op)] = int(nbytes) / int(us)     # bytes/us = MB/s
    khz = TSC_RE.search(log)
    if not khz:
        sys.exit("bench: %s: no TSC rate in the kernel log" % name)
    return rates, int(khz.group(1))


def io_section(repeats):
    """Boot iobench with ata=pio and without in turn, REPEATS times each,
    and print medians: the PIO figure of the ata=pio boots, and the PIO and
    DMA figures of the DMA boots, which measure both modes in turn, with
    the ratio of those two (median of the boots' ratios)."""
    pio_boots, dma_boots, khz = [], [], []
    for i in range(repeats):
        for boots, name, options in ((pio_boots, "pio", "ata=pio"), (dma_boots, "dma", "")):
            rates, rate_khz = boot_iobench("iobench-%s-%d" % (name, i), options)
            boots.append(rates)
            khz.append(rate_khz)
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
    raw4k = statistics.median(
        (r[("dma", 4096, "read")] + r[("dma", 4096, "write")]) / 2 for r in dma_boots)
    return statistics.median(khz), raw4k


# ---- swap throughput ----

SWAP_RE = re.compile(r"bench-swap: pages=(\d+) passes=(\d+) cycles=(\d+)")
# (swap_cluster, swap_readahead): the first is one page a request, as
# before clustering; the default is the kernel's (kernel/cmdline.c).
SWAP_CONFIGS = [(1, 1), (4, 4), (8, 8), (16, 1), (16, 8), (32, 8), (32, 32)]
SWAP_DEFAULT = (16, 8)


def accounting(log):
    """The power-off accounting figures of kernel log LOG, {key: value}."""
    _, final = serial.accounting(serial.split_lines(log))
    if final is None:
        sys.exit("bench: no accounting line in the kernel log")
    return final


def boot_swap(name, cluster, readahead, pool, passes, tsc_khz):
    """Boot bench-swap over four times a user pool of POOL pages, PASSES
    passes, with the given swap_cluster and swap_readahead; return (MB/s
    of pages swapped out plus in, requests per MB)."""
    cmdline = payload.compose_cmdline(
        "run bench-swap %d %d" % (4 * pool, passes),
        "swap_cluster=%d swap_readahead=%d" % (cluster, readahead), user_pages=pool)
    with open(os.path.join(BUILD, "userland", "bench-swap"), "rb") as f:
        program = f.read()
    _, console, log = boot_disks(name, cmdline, {"bench-swap": program},
                                 swap_mb=4 * pool * 4096 * 2 >> 20)
    m = SWAP_RE.search(console)
    if not m:
        sys.exit("bench: %s: no bench-swap line; see %s"
                 % (name, os.path.join(BUILD, "bench", name)))
    stats = accounting(log)
    pages = stats["swap_outs"] + stats["swap_ins"]
    requests = stats["swap_out_requests"] + stats["swap_in_requests"]
    seconds = int(m.group(3)) / (tsc_khz * 1000.0)
    return pages * 4096 / seconds / 1e6, requests / (pages * 4096 / 1e6)


def swap_section(repeats, tsc_khz, raw4k, pool=256, passes=3):
    """Boot bench-swap for every SWAP_CONFIGS entry in turn, REPEATS times,
    and print the median MB/s of each, and its ratio to RAW4K, the raw 4
    KiB DMA figure (the mean of reads and writes) of the same run."""
    runs = {c: [] for c in SWAP_CONFIGS}
    for i in range(repeats):
        for c in SWAP_CONFIGS:
            runs[c].append(boot_swap("swap-%d-%d-%d" % (c[0], c[1], i), c[0], c[1],
                                     pool, passes, tsc_khz))
    print("\n%-44s %10s %10s %10s" % (
        "swap throughput, in guest (%d-page pool, 4x)" % pool, "MB/s", "req/MB", "/raw 4K"))
    for c in SWAP_CONFIGS:
        rate = statistics.median(r for r, _ in runs[c])
        req = statistics.median(q for _, q in runs[c])
        print("%-44s %10.1f %10.1f %9.0f%%" % (
            "swap_cluster=%d swap_readahead=%d%s" % (c[0], c[1],
                                                     " (default)" if c == SWAP_DEFAULT else ""),
            rate, req, 100 * rate / raw4k))
    print("(medians of %d boots of each; out plus in over the program's time, "
          "%d passes;\n raw 4K: %.1f MB/s, the mean of iobench's 4 KiB DMA reads "
          "and writes above)" % (repeats, passes, raw4k))


# ---- the swap-heavy tests, before and after ----

BEFORE_COMMIT = "7281f04"
SWAP_TESTS = ["vm/vm-swap-anon", "vm/vm-swap-file", "vm/vm-fork-swap",
              "vm/vm-swap-sort", "cow/cow-swap"]


def before_iso(commit):
    """Build the release kernel of COMMIT in a worktree of its own under
    BUILD/before-COMMIT (once) and return its ISO."""
    tree = os.path.join(BUILD, "before-%s" % commit)
    iso = os.path.join(tree, "build", "folio.iso")
    if not os.path.isdir(tree):
        # `make clean` removes the folder but not git's record of it, which
        # would make `worktree add` refuse the path.
        subprocess.run(["git", "-C", REPO, "worktree", "prune"], check=True)
        subprocess.run(["git", "-C", REPO, "worktree", "add", "--detach", tree, commit],
                       check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["make", "-C", tree, "--no-print-directory", "-s", "DEBUG=0", "iso",
                    "PYTHON=" + sys.executable],
                   check=True, stdout=subprocess.DEVNULL)
    return iso


def case_disks(case_id):
    """The kernel command line, files, swap size and memory of test
    CASE_ID, as the harness would build its disks (programs of BUILD)."""
    case = load_case(os.path.join(REPO, "harness", "tests", case_id + ".toml"))
    files = {}
    for name in case.image_programs():
        with open(os.path.join(BUILD, "userland", name), "rb") as f:
            files[name] = f.read()
    for name, src in case.files:
        with open(os.path.join(REPO, "userland", "data", src), "rb") as f:
            files[name] = f.read()
    return case.kernel_cmdline, files, case.swap_mb, case.memory


def tests_section(repeats, commit, tests=SWAP_TESTS):
    """Boot each of TESTS with the kernel of COMMIT and with this one,
    taking turns, REPEATS times; print the median wall times, their ratio
    (median of the pairs' ratios), and the ratio of what each took beyond
    a boot that only powers off (`selftest trivial`, measured the same
    way), which neither kernel can go below."""
    old_boot = qemu.IsoBoot(before_iso(commit))
    # Both through the ISO: the older kernel has no PVH entry, and the
    # comparison is of kernels, not of boot paths.
    now_boot = qemu.IsoBoot(os.path.join(BUILD, "folio.iso"))
    rows = [("boot and power-off", payload.compose_cmdline("selftest trivial"), {}, 0, "64M")]
    rows += [(case_id,) + case_disks(case_id) for case_id in tests]
    medians, skipped = [], []
    for label, cmdline, files, swap_mb, memory in rows:
        pairs = []
        for i in range(repeats):
            name = "%s-%d" % (label.replace("/", "-").replace(" ", "-"), i)
            old, console, _ = boot_disks(name + "-before", cmdline, files, swap_mb,
                                         memory, old_boot)
            if not ran_to_the_end(cmdline, console):
                break
            new, console, _ = boot_disks(name + "-now", cmdline, files, swap_mb,
                                         memory, now_boot)
            if not ran_to_the_end(cmdline, console):
                sys.exit("bench: %s: this kernel did not run it to its exit(0); "
                         "see %s" % (label, os.path.join(BUILD, "bench", name + "-now")))
            pairs.append((old, new))
        if not pairs:
            skipped.append(label)
            continue
        medians.append((label, statistics.median(o for o, _ in pairs),
                        statistics.median(n for _, n in pairs),
                        statistics.median(o / n for o, n in pairs)))
    print("\n%-36s %9s %9s %9s %12s" % ("swap-heavy tests, whole QEMU (s)",
                                        commit, "now", "speed-up", "beyond boot"))
    _, boot_old, boot_new, _ = medians[0]
    for label, old, new, ratio in medians:
        beyond = "%.1fx" % ((old - boot_old) / (new - boot_new)) \
            if label != medians[0][0] and new > boot_new else "-"
        print("%-36s %9.2f %9.2f %8.1fx %12s" % (label, old, new, ratio, beyond))
    print("(medians of %d boots of each, taking turns; the same disks, release "
          "kernels, both through the ISO;\n beyond boot: the ratio of the "
          "medians less the boot's)" % repeats)
    if skipped:
        print("not compared: %s (the %s kernel did not run the program to its "
              "exit(0): it cannot read\n a disk of today's format, foliofs "
              "version 2)" % (", ".join(skipped), commit))


def ran_to_the_end(cmdline, console):
    """Did the boot of CMDLINE (a `run PROGRAM ...` line, or a self-test)
    run its program to `PROGRAM: exit(0)`, going by CONSOLE?"""
    program = re.search(r"\brun (\S+)", cmdline)
    if not program:
        return True
    return "%s: exit(0)" % program.group(1) in serial.split_lines(console)


# ---- boot time: each boot path against its do-nothing kernel ----

BOOT_TARGET_RATIO = 1.5       # direct trivial boot / direct floor, at most
BOOT_TARGET_SECONDS = 0.12    # direct trivial boot, median, at most


def timed_boot(name, boot, cmdline):
    """Boot BOOT once on an empty payload disk holding CMDLINE; return
    (wall seconds, QEMU's CPU seconds, user and system, all threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _, _ = boot_disks(name, cmdline, {}, boot=boot)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime
                  + after.ru_stime - before.ru_stime)


def boot_paths():
    """[(path label, Folio's boot path, the do-nothing kernel's)]: the
    direct path with the benchmark's firmware and the ISO path, the floor
    booted exactly as Folio is (bench/floor.S, built by make bench)."""
    direct = BOOT if BOOT.name == "direct" else qemu.boot_path(
        "direct", BOOT.iso, os.path.join(BUILD, "kernel.elf"))
    label = "direct (%s)" % ("qboot" if direct.bios else "SeaBIOS")
    return [(label, direct,
             dataclasses.replace(direct, kernel=os.path.join(BUILD, "floor.elf"))),
            ("iso (SeaBIOS, GRUB)", qemu.IsoBoot(os.path.join(BUILD, "folio.iso")),
             qemu.IsoBoot(os.path.join(BUILD, "floor.iso")))]


def boot_section(repeats):
    """Boot `selftest trivial` and the do-nothing kernel through each
    path, all four taking turns, REPEATS times; print the medians of wall
    and CPU time, Folio's over the floor's (median of the pairs' ratios),
    and whether the direct path meets its targets."""
    paths = boot_paths()
    cmdline = payload.compose_cmdline("selftest trivial")
    runs = {}
    for i in range(repeats):
        for label, folio, floor in paths:
            for kind, boot in (("floor", floor), ("folio", folio)):
                name = "boot-%s-%s-%d" % (boot.name, kind, i)
                runs.setdefault((label, kind), []).append(
                    timed_boot(name, boot, cmdline))
    print("\n%-28s %8s %8s %7s %10s %12s %7s" % (
        "boot to power-off (s)", "floor", "trivial", "ratio", "floor CPU",
        "trivial CPU", "ratio"))
    verdict = []
    for label, _, _ in paths:
        floor, folio = runs[(label, "floor")], runs[(label, "folio")]
        ratio = statistics.median(f[0] / n[0] for f, n in zip(folio, floor))
        wall = statistics.median(f[0] for f in folio)
        cpu = [statistics.median(r[1] for r in runs) for runs in (floor, folio)]
        print("%-28s %8.3f %8.3f %6.2fx %10.3f %12.3f %6.2fx" % (
            label, statistics.median(n[0] for n in floor), wall, ratio,
            cpu[0], cpu[1], cpu[1] / cpu[0]))
        if label.startswith("direct"):
            verdict.append("direct: trivial/floor %.2fx wall, %.2fx CPU (target "
                           "at most %.1fx: %s), median %.3f s (target at most "
                           "%.2f s on a quiet machine: %s)" % (
                               ratio, cpu[1] / cpu[0], BOOT_TARGET_RATIO,
                               "met" if ratio <= BOOT_TARGET_RATIO else "MISSED",
                               wall, BOOT_TARGET_SECONDS,
                               "met" if wall <= BOOT_TARGET_SECONDS else "MISSED"))
    print("(medians of %d boots of each, the four taking turns; floor: the "
          "do-nothing kernel (bench/floor.S)\n booted the same way; ratio: "
          "median of each round's trivial/floor wall times; CPU: QEMU's user\n"
          " and system time, which the host's other load hardly moves, and "
          "the ratio of its medians)"
          % repeats)
    for line in verdict:
        print(line)


# ---- the file system ----

FS_LOOKUP_RE = re.compile(r"bench-fs: lookup=(\S+) cycles=(\d+)")
FS_IO_RE = re.compile(r"bench-fs: io=(\S+) bytes=(\d+) read_sectors=(\d+) "
                      r"write_sectors=(\d+)")
FS_LOOKUPS = [("wide-first", "first of 1,000 entries in one directory"),
              ("wide-last", "last of 1,000 entries in one directory"),
              ("deep-10", "a file 10 directories deep"),
              ("root", "a file in the root (few entries)")]


def boot_bench_fs(name, rounds, icount):
    """Boot bench-fs once (a 64 KiB file `cold` on the disk, room for its
    1,000 names); return ({lookup: median cycles}, {io: (bytes, sectors
    read, sectors written)})."""
    with open(os.path.join(BUILD, "userland", "bench-fs"), "rb") as f:
        files = {"bench-fs": f.read(), "cold": bytes(range(256)) * 256}
    _, console, _ = boot_disks(name, "run bench-fs %d" % rounds, files,
                               extra=("-icount", "shift=0") if icount else (),
                               free_kb=4096, inode_count=1100)
    lookups = {m.group(1): int(m.group(2)) for m in FS_LOOKUP_RE.finditer(console)}
    io = {m.group(1): tuple(int(g) for g in m.groups()[1:])
          for m in FS_IO_RE.finditer(console)}
    if set(lookups) != {k for k, _ in FS_LOOKUPS} or len(io) != 3:
        sys.exit("bench: %s: bench-fs results missing in %s" % (
            name, os.path.join(BUILD, "bench", name, "console.txt")))
    return lookups, io


def fs_section(repeats, rounds=200):
    """Path lookups and disk counters (bench-fs): medians of REPEATS boots
    in cycles, one boot under -icount."""
    boots = [boot_bench_fs("fs-%d" % i, rounds, False) for i in range(repeats)]
    counted, io = boot_bench_fs("fs-icount", rounds, True)
    print("\n%-48s %12s %14s" % ("path lookup: open + close of", "cycles",
                                  "instructions"))
    for key, label in FS_LOOKUPS:
        print("%-48s %12s %14s" % (label, fmt_cycles(statistics.median(
            b[0][key] for b in boots)), fmt_cycles(counted[key])))
    print("(in-guest medians of %d rounds; cycles: median of %d boots; "
          "instructions: one boot under -icount)" % (rounds, repeats))
    print("\n%-48s %10s %10s %10s" % ("disk counters (int $0x43/$0x44)", "bytes",
                                       "sectors r", "sectors w"))
    for key, label in (("write-64k", "sequential 64 KiB write, 4 KiB writes"),
                       ("cold-read-64k", "sequential 64 KiB read, cold file"),
                       ("write-1m", "sequential 1 MiB write, 4 KiB writes")):
        nbytes, reads, writes = io[key]
        print("%-48s %10d %10d %10d" % (label, nbytes, reads, writes))
    print("(sectors the counters moved during each; bytes / 512 = %d for 64 KiB; "
          "writes reach the disk\n when the cache writes back, at 3/4 dirty "
          "slots or at power-off)" % (65536 // 512))


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
    qemu.add_boot_options(
        ap.add_argument, "boot path of the benchmarks: direct (the default) "
        "or iso (the boot section measures both, the tests section boots the "
        "ISO)", "firmware of the direct path: auto, qboot or seabios")
    ap.add_argument("--only", choices=("boot", "fork", "io", "swap", "fs", "tests"),
                    help="run one section only (swap runs io first, for its "
                         "TSC rate and raw figure)")
    ap.add_argument("--before", default=BEFORE_COMMIT,
                    help="the commit whose kernel the swap-heavy tests are "
                         "compared with")
    ap.add_argument("--tests", default=",".join(SWAP_TESTS),
                    help="the tests to compare, SUITE/NAME separated by commas")
    args = ap.parse_args()
    set_build(args.build, args.via, args.firmware)
    if args.only in (None, "boot"):
        boot_section(args.repeats * 3)
    if args.only in (None, "fork"):
        fork_sections(args)
    if args.only in (None, "io", "swap"):
        tsc_khz, raw4k = io_section(args.repeats)
        if args.only != "io":
            swap_section(args.repeats, tsc_khz, raw4k)
    if args.only in (None, "fs"):
        fs_section(args.repeats)
    if args.only in (None, "tests"):
        tests_section(args.repeats, args.before, args.tests.split(","))
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
