#!/usr/bin/python3
"""make fuzz: a long system-call fuzzing campaign (issue 9).

Runs the fuzzer (userland/tests/fuzz/) over many seeds, each as a harness
test case: its expected output is the fuzzer's report of no finding, and
the harness judges the run as it judges any test (no panic, no hang, no
triple fault, no leak at power-off).  Half of the seeds run with a user
pool small enough to evict and a swap disk.  The cases are written to
build/fuzz/<suite>/ and run through harness.runner.run_case, two at a
time; results land in build/results/<suite>/.

At the end it prints the calls, the seeds, the calls per second (calls
over the summed time of the boots) and every finding with its seed, its
call index (from a second run of the same seed with `trace`, which prints
each call before making it) and the tail of its kernel log.

Then --alloc-seeds more seeds run with the kernel option fail_alloc=N
(one kernel allocation in N fails, N from ALLOC_RATES in turn, half of
them under memory pressure too): there the fuzzer's own complaints (a
child killed for want of memory, a setup call that failed) are expected,
and only what the harness finds counts: a panic, a hang, a triple fault
or a leak (or a console without the fuzzer's last line: its parent
died), so every unwinding path the random calls reach is tried with its
allocations failing.

Then it repeats one boot of a many-process program (exit-storm: 17
short-lived processes, orphans last) --repeat times, each judged like a
test, and counts the boots whose accounting at power-off differed from
the baseline or that failed otherwise: the order of shutdown must hold
in every run, not only in most (docs/kernel.md, "Accounting").

Three oracles that no single call shows (issue 18):
- time: every seed whose kernel held the VM lock or the file-system lock
  longer than --max-hold-mcycles million TSC cycles at once (the
  accounting line's vm_lock_max_hold and fs_lock_max_hold) is a finding:
  one call stalled every other process that long;
- others: --victim-seeds more seeds run a victim process beside the
  fuzzing children (`fuzz ... victim`) that faults, forks and opens in a
  loop and must exit 0;
- halt and exec: --halt-boots boots of `halt-forks SEED` (halt after a
  number of forks the seed picks, among forks and execs, half of them
  with fork_yield=1) must power off with no process left, and
  --fpu-boots boots of `fpu-exec SEED` (an FPU/SSE state from the seed,
  then exec) must find the default state after exec.

    python3 -m harness.fuzz [--seeds N] [--calls N] [--first-seed S]
                            [--pool PAGES --swap-mb MB] [--alloc-seeds N]
                            [--repeat N] [--max-hold-mcycles M]
                            [--victim-seeds N] [--halt-boots N]
                            [--fpu-boots N]
                            [--iso ISO --kernel-elf ELF]
"""

import argparse
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, REPO)

from harness import console  # noqa: E402
from harness.classify import Kind  # noqa: E402
from harness.runner import Config, run_case  # noqa: E402
from images import qemu  # noqa: E402

SUITE = "fuzz-campaign"
ALLOC_SUITE = "fuzz-alloc"
REPEAT_SUITE = "fuzz-shutdown"
REPEAT_PROGRAM = "exit-storm"      # its expected output: harness/tests/userprog/
CHILDREN = 4
SMALL_POOL = 32            # user pages: the fuzzer's processes must evict
SWAP_MB = 4
LOG_TAIL = 12
ALLOC_RATES = (7, 13, 29, 61, 150, 400)    # fail_alloc=N of the alloc seeds
VICTIM_SUITE = "fuzz-victim"
HALT_SUITE = "fuzz-halt"
FPU_SUITE = "fuzz-fpu"
HOLD_KEYS = ("vm_lock_max_hold", "fs_lock_max_hold")
# The longest hold of the VM or file-system lock a seed may show, in
# millions of TSC cycles (docs/harness.md, "Fuzzing": 20 times the 508 GiB
# mmap's stall below it, and twice the longest hold seen on a loaded host).
MAX_HOLD_MCYCLES = 1000


def expected_lines(prog, seed, calls, children=CHILDREN, lenient=False,
                   victim=False):
    """The console frame of a run with no finding (userland/tests/fuzz).
    LENIENT (a run with injected allocation failures): any per-child
    result, finding count, fuzzer finding or failed load will do.  VICTIM:
    the victim's line, exit 0, comes before the last line."""
    if lenient:
        return ["%% ignore-exit-codes",
                r"%% ignore: ^\({}\) child \d+: ".format(prog),
                r"%% ignore: ^\({}\) FINDING".format(prog),
                "%% ignore: ^load: ",
                "({}) seed {}: {} calls in {} children".format(prog, seed, calls,
                                                             children),
                r"%% re: \({}\) done: {} calls, \d+ findings".format(prog, calls)]
    lines = ["%% ignore-exit-codes",
             "(%s) seed %d: %d calls in %d children" % (prog, seed, calls,
                                                        children)]
    for k in range(children):
        slice_ = calls // children + (1 if k < calls % children else 0)
        lines.append("(%s) child %d: %d calls" % (prog, k, slice_))
    if victim:
        lines.append("(%s) victim: exit 0" % prog)
    lines.append("(%s) done: %d calls, 0 findings" % (prog, calls))
    return lines


def write_case(directory, name, seed, calls, pressure, trace=False,
               pool=SMALL_POOL, swap_mb=SWAP_MB, fail_alloc=0, victim=False):
    """Write NAME.toml and NAME.expected; return the .toml path.  PRESSURE
    boots with a user pool of POOL pages and SWAP_MB MiB of swap;
    FAIL_ALLOC with the kernel option fail_alloc and a lenient expected
    file; VICTIM with a victim process beside the children."""
    run = "fuzz %d %d %d%s%s" % (seed, calls, CHILDREN, " trace" if trace else "",
                                 " victim" if victim else "")
    toml = ['run = "%s"' % run, 'files = ["sample.txt"]', "timeout = 600",
            "fsck = true"]
    if pressure:
        toml += ["user_pages = %d" % pool, "swap_mb = %d" % swap_mb]
    if fail_alloc:
        toml += ['options = "fail_alloc=%d"' % fail_alloc]
    path = os.path.join(directory, name + ".toml")
    with open(path, "w") as out:
        out.write("\n".join(toml) + "\n")
    with open(os.path.join(directory, name + ".expected"), "w") as out:
        out.write("\n".join(expected_lines("fuzz", seed, calls,
                                            lenient=bool(fail_alloc),
                                            victim=victim)) + "\n")
    return path


def write_program_case(directory, name, run, test, toml=()):
    """Write NAME.toml (action RUN, then the lines TOML) and NAME.expected,
    expecting what the userprog test TEST expects; return the .toml
    path."""
    with open(os.path.join(REPO, "harness", "tests", "userprog",
                           test + ".expected")) as f:
        expected = f.read()
    path = os.path.join(directory, name + ".toml")
    with open(path, "w") as out:
        out.write("\n".join(['run = "%s"' % run] + list(toml)) + "\n")
    with open(os.path.join(directory, name + ".expected"), "w") as out:
        out.write(expected)
    return path


def write_repeat_case(directory, name):
    """Write NAME.toml and NAME.expected for one boot of REPEAT_PROGRAM,
    expecting what its test in the suite expects; return the .toml path."""
    return write_program_case(directory, name, REPEAT_PROGRAM, REPEAT_PROGRAM)


def run_repeat(cfg, boots, jobs):
    """Boot REPEAT_PROGRAM BOOTS times; print one line per failed boot and
    a summary; return the number of failed boots."""
    directory = os.path.join(REPO, "build", "fuzz", REPEAT_SUITE)
    os.makedirs(directory, exist_ok=True)
    paths = [write_repeat_case(directory, "boot-%02d" % i) for i in range(boots)]
    results, elapsed = run_all(cfg, paths, jobs)
    failed = 0
    leaks = 0
    for path, (verdict, secs) in zip(paths, results):
        if not verdict.passed:
            failed += 1
            leaks += any(d.kind == Kind.LEAK for d in verdict.diagnoses)
            print("%-28s %6.1f s  FINDING: %s" % (os.path.basename(path)[:-5], secs,
                                                 verdict.reason))
    print("\nshutdown repeat: %d boots of %s, %d failed (%d with an accounting "
          "line that differs from the baseline), %.1f s elapsed"
          % (boots, REPEAT_PROGRAM, failed, leaks, elapsed))
    return failed


def run_alloc(cfg, args):
    """Run --alloc-seeds seeds under injected allocation failures (see the
    module's comment); print each failed case with the tail of its kernel
    log, and a summary; return the number of failed cases."""
    directory = os.path.join(REPO, "build", "fuzz", ALLOC_SUITE)
    os.makedirs(directory, exist_ok=True)
    first = args.first_seed + args.seeds
    cases = []
    for i in range(args.alloc_seeds):
        rate = ALLOC_RATES[i % len(ALLOC_RATES)]
        pressure = (i // len(ALLOC_RATES)) % 2 == 1
        name = "seed-%d-fail%d%s" % (first + i, rate, "-pool%d-swap%d"
                                      % (args.pool, args.swap_mb) if pressure else "")
        cases.append((name, pressure,
                      write_case(directory, name, first + i, args.calls,
                                 pressure, pool=args.pool,
                                 swap_mb=args.swap_mb, fail_alloc=rate)))
    results, elapsed = run_all(cfg, [path for _, _, path in cases], args.jobs)
    failed = 0
    for (name, _, _), (verdict, secs) in zip(cases, results):
        if verdict.passed:
            continue
        failed += 1
        log = os.path.join(cfg.results, ALLOC_SUITE, name + ".log")
        print("%-28s %6.1f s  FINDING: %s" % (name, secs, verdict.reason))
        print("kernel log (last %d lines of %s):" % (LOG_TAIL, log))
        for line in tail(log):
            print("  " + line)
    under = sum(1 for _, pressure, _ in cases if pressure)
    print("\nallocation failures: %d calls asked for over %d seeds (fail_alloc=%s in "
          "turn, %d of them with user_pages=%d and %d MiB of swap), %d "
          "failed (a panic, a hang, a triple fault, a leak, or no last line "
          "from the fuzzer), %.1f s elapsed"
          % (args.calls * args.alloc_seeds, args.alloc_seeds,
             ",".join(str(r) for r in ALLOC_RATES), under, args.pool,
             args.swap_mb, failed, elapsed))
    return failed


def read_stats(path):
    """The KEY=VALUE lines of a result's .stats file as a dict
    (harness/console.py's parse_pairs; {} when the file is missing)."""
    try:
        with open(path) as f:
            return console.parse_pairs(f.read())
    except OSError:
        return {}


def hold_finding(stats, bound):
    """What is wrong with the lock holds in STATS (a run's counters): the
    first of HOLD_KEYS above BOUND cycles, or missing; None when both are
    within it."""
    for key in HOLD_KEYS:
        if key not in stats:
            return "no %s in the accounting line" % key
        if stats[key] > bound:
            return "%s=%d cycles (%.0f Mcycles), over the bound of %.0f Mcycles" % (
                key, stats[key], stats[key] / 1e6, bound / 1e6)
    return None


def check_holds(cfg, suite, cases, mcycles):
    """Judge the lock holds of the finished runs CASES, (name, .toml path)
    pairs of SUITE, against MCYCLES million cycles; print each finding and
    the largest holds; return the number of findings.  A hold is host time
    (TCG's TSC), which a loaded host stretches, so a run over the bound is
    run once more, alone, and is a finding only when it is over it again.
    A run that failed otherwise (no accounting line) is left to its own
    verdict."""
    findings = 0
    top = {key: (0, None) for key in HOLD_KEYS}
    for name, path in cases:
        stats_path = os.path.join(cfg.results, suite, name + ".stats")
        stats = read_stats(stats_path)
        if not stats:
            continue
        for key in HOLD_KEYS:
            if stats.get(key, 0) > top[key][0]:
                top[key] = (stats[key], name)
        why = hold_finding(stats, mcycles * 1e6)
        if why:
            run_one(cfg, path)
            again = hold_finding(read_stats(stats_path), mcycles * 1e6)
            if not again:
                print("%-28s over the bound once (%s), within it when run "
                      "again alone" % (name, why))
                continue
            findings += 1
            print("%-28s FINDING: %s; run again alone: %s" % (name, why, again))
    print("%s: longest holds %s (bound %d Mcycles), %d over it"
          % (suite, ", ".join("%s %.0f Mcycles (%s)" % (key, v / 1e6, n)
                              for key, (v, n) in top.items()),
             mcycles, findings))
    return findings


def run_group(cfg, suite, cases, jobs):
    """Run CASES, (name, .toml path) pairs of SUITE; print one line per
    failed case with the tail of its kernel log; return (failed count,
    seconds elapsed)."""
    results, elapsed = run_all(cfg, [path for _, path in cases], jobs)
    failed = 0
    for (name, _), (verdict, secs) in zip(cases, results):
        if verdict.passed:
            continue
        failed += 1
        log = os.path.join(cfg.results, suite, name + ".log")
        print("%-28s %6.1f s  FINDING: %s" % (name, secs, verdict.reason))
        for line in tail(log):
            print("  " + line)
    return failed, elapsed


def run_victims(cfg, args):
    """--victim-seeds seeds with a victim process beside the fuzzing
    children, half under memory pressure, judged like the campaign's and
    on their lock holds; return the number of findings."""
    directory = os.path.join(REPO, "build", "fuzz", VICTIM_SUITE)
    os.makedirs(directory, exist_ok=True)
    first = args.first_seed + args.seeds + args.alloc_seeds
    cases = []
    for i in range(args.victim_seeds):
        pressure = i % 2 == 1
        name = "seed-%d-victim%s" % (first + i, "-pool%d-swap%d" % (args.pool, args.swap_mb)
                                     if pressure else "")
        cases.append((name, write_case(directory, name, first + i, args.calls, pressure,
                                       pool=args.pool, swap_mb=args.swap_mb,
                                       victim=True)))
    failed, elapsed = run_group(cfg, VICTIM_SUITE, cases, args.jobs)
    failed += check_holds(cfg, VICTIM_SUITE, cases, args.max_hold_mcycles)
    print("\nvictims: %d calls over %d seeds with a victim beside the fuzzing "
          "children (%d with user_pages=%d and %d MiB of swap), %d findings, "
          "%.1f s elapsed\n" % (args.calls * args.victim_seeds, args.victim_seeds,
                                args.victim_seeds // 2, args.pool, args.swap_mb,
                                failed, elapsed))
    return failed


def run_halts(cfg, args):
    """--halt-boots boots of `halt-forks SEED` (half with fork_yield=1)
    and --fpu-boots boots of `fpu-exec SEED`, each judged like its test in
    the suite; return the number of failed boots."""
    cases = {HALT_SUITE: [], FPU_SUITE: []}
    for i in range(args.halt_boots):
        name = "halt-%d%s" % (i, "-fork-yield" if i % 2 else "")
        directory = os.path.join(REPO, "build", "fuzz", HALT_SUITE)
        os.makedirs(directory, exist_ok=True)
        toml = ['options = "fork_yield=1"'] if i % 2 else []
        cases[HALT_SUITE].append((name, write_program_case(
            directory, name, "halt-forks %d" % (args.first_seed + i), "halt-forks",
            toml + ["timeout = 60"])))
    for i in range(args.fpu_boots):
        name = "fpu-%d" % i
        directory = os.path.join(REPO, "build", "fuzz", FPU_SUITE)
        os.makedirs(directory, exist_ok=True)
        cases[FPU_SUITE].append((name, write_program_case(
            directory, name, "fpu-exec %d" % (args.first_seed + i), "fpu-exec",
            ['programs = ["fpu-exec-check"]'])))
    failed = 0
    for suite, what in ((HALT_SUITE, "halt among forks and execs"),
                        (FPU_SUITE, "FPU/SSE state after exec")):
        if not cases[suite]:
            continue
        group_failed, elapsed = run_group(cfg, suite, cases[suite], args.jobs)
        print("%s: %d boots, %d failed, %.1f s elapsed" % (what, len(cases[suite]),
                                                         group_failed, elapsed))
        failed += group_failed
    return failed


def run_all(cfg, paths, jobs):
    """Run the cases at PATHS, JOBS at a time; return (the run_one result
    of each, in order, and the seconds elapsed)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda p: run_one(cfg, p), paths))
    return results, time.monotonic() - started


def run_one(cfg, path):
    """Run one case; return (verdict, seconds)."""
    start = time.monotonic()
    result = run_case(path, cfg)
    return result.verdict, time.monotonic() - start


def culprit_call(output_path):
    """The call a trace run printed last before its first finding line, or
    before it stopped (a panic or a hang): `child K call N: ...`."""
    try:
        with open(output_path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    last = None
    for line in lines:
        if "FINDING" in line:
            break
        m = re.match(r"\(fuzz\) (child \d+ call \d+: .*)", line)
        if m:
            last = m.group(1)
    return last


def tail(path, n=LOG_TAIL):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-n:]
    except OSError:
        return ["(no %s)" % path]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=24)
    ap.add_argument("--calls", type=int, default=5000,
                    help="calls per seed (the children split them)")
    ap.add_argument("--first-seed", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pool", type=int, default=SMALL_POOL,
                    help="user pages of the seeds under memory pressure")
    ap.add_argument("--swap-mb", type=int, default=SWAP_MB,
                    help="their swap disk (0: none)")
    ap.add_argument("--alloc-seeds", type=int, default=12,
                    help="seeds under injected allocation failures (0: none)")
    ap.add_argument("--repeat", type=int, default=50,
                    help="boots of the shutdown-order repeat (0: none)")
    ap.add_argument("--max-hold-mcycles", type=int, default=MAX_HOLD_MCYCLES,
                    help="longest hold of the VM or file-system lock a seed "
                    "may show, in millions of TSC cycles")
    ap.add_argument("--victim-seeds", type=int, default=12,
                    help="seeds with a victim process beside the children (0: none)")
    ap.add_argument("--halt-boots", type=int, default=10,
                    help="boots of halt-forks SEED (0: none)")
    ap.add_argument("--fpu-boots", type=int, default=6,
                    help="boots of fpu-exec SEED (0: none)")
    ap.add_argument("--iso", help="boot this ISO instead of build/folio.iso")
    ap.add_argument("--kernel-elf", help="boot directly and symbolize panics "
                    "with this ELF")
    qemu.add_boot_options(ap.add_argument,
                          "boot path: direct (the default) or iso",
                          "firmware of the direct path (auto: qboot where "
                          "QEMU has it)")
    ap.add_argument("--timeout-factor", type=float,
                    default=float(os.environ.get("FOLIO_TIMEOUT_FACTOR", 1)))
    args = ap.parse_args()

    directory = os.path.join(REPO, "build", "fuzz", SUITE)
    os.makedirs(directory, exist_ok=True)
    try:
        cfg = Config(repo=REPO, timeout_factor=args.timeout_factor,
                     iso=args.iso, kernel_elf=args.kernel_elf, via=args.via,
                     firmware=args.firmware,
                     note=lambda line: print("fuzz: " + line, file=sys.stderr))
    except qemu.BootUnfit as err:
        ap.error(str(err))
    cases = []
    for i in range(args.seeds):
        seed = args.first_seed + i
        pressure = i % 2 == 1
        name = "seed-%d%s" % (seed, "-pool%d-swap%d" % (args.pool, args.swap_mb)
                               if pressure else "")
        cases.append((seed, pressure, name,
                      write_case(directory, name, seed, args.calls, pressure,
                                 pool=args.pool, swap_mb=args.swap_mb)))

    results, elapsed = run_all(cfg, [c[3] for c in cases], args.jobs)

    findings = []
    boot_seconds = 0.0
    for (seed, pressure, name, path), (verdict, secs) in zip(cases, results):
        boot_seconds += secs
        print("%-28s %6.1f s  %s" % (name, secs,
                                     "ok" if verdict.passed else "FINDING: " + verdict.reason))
        if not verdict.passed:
            findings.append((seed, pressure, name, verdict))

    total = args.calls * args.seeds
    print("\nfuzz: %d calls over %d seeds (%d with user_pages=%d and %d MiB "
          "of swap), %.0f calls per second of boot time (%.1f s of boots, "
          "%.1f s elapsed with %d at a time); %d findings"
          % (total, args.seeds, args.seeds // 2, args.pool, args.swap_mb,
             total / boot_seconds if boot_seconds else 0, boot_seconds, elapsed,
             args.jobs, len(findings)))

    for seed, pressure, name, verdict in findings:
        results_dir = os.path.join(cfg.results, SUITE)
        print("\n=== finding: seed %d (%s): %s" % (seed, name, verdict.reason))
        trace_path = write_case(directory, name + "-trace", seed, args.calls,
                                pressure, trace=True, pool=args.pool,
                                swap_mb=args.swap_mb)
        run_one(cfg, trace_path)
        call = culprit_call(os.path.join(results_dir, name + "-trace.output"))
        if call:
            print("call: %s (the last call the trace run printed before the "
                  "finding)" % call)
        else:
            print("call index: the trace run printed no call")
        print("console: %s" % os.path.join(results_dir, name + ".output"))
        print("kernel log (last %d lines of %s):" % (LOG_TAIL, os.path.join(results_dir, name + ".log")))
        for line in tail(os.path.join(results_dir, name + ".log")):
            print("  " + line)
    held = check_holds(cfg, SUITE, [(c[2], c[3]) for c in cases],
                       args.max_hold_mcycles) if cases else 0
    failed_alloc = run_alloc(cfg, args) if args.alloc_seeds else 0
    failed_boots = run_repeat(cfg, args.repeat, args.jobs) if args.repeat else 0
    failed_victims = run_victims(cfg, args) if args.victim_seeds else 0
    failed_halts = run_halts(cfg, args)
    return 1 if (findings or held or failed_alloc or failed_boots or failed_victims
                 or failed_halts) else 0


if __name__ == "__main__":
    sys.exit(main())
