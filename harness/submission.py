"""A submission graded against the trusted tree (`make grade
SUBMISSION=DIR`, `harness/grade --submission DIR`).

The trusted tree is the tree this harness belongs to.  Its files (git's
view of the work tree when it is a checkout, else every file outside
build/) are copied to build/grade/<name>/tree/; only the paths the
rubric gives the submission (`[submission] paths`, grading.Rubric) are
then replaced by the submission's own, so tests, expected files, harness
and rubric always come from the trusted tree.  The copy is built with
`make` and the graded tests run there; the caller grades the records
with the trusted rubric.

A submission that does not build gets no points and its compiler errors
in the report; files it changed outside its paths are ignored and
listed.  docs/harness.md, "Grading a course".
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import List, Optional

from harness.makeenv import make_env

# Folders of a tree that are never part of it: git's, the build's, and
# Python's caches.
NOT_TREE = {".git", "build", "__pycache__", ".pytest_cache"}
# What of the trusted build/ is not `make`'s output, so not copied into a
# graded tree's build/ (the other tools' folders, other runs' results).
NOT_MAKE_OUTPUT = {"grade", "results", "pytest-cache", "pycache", "debug",
                   "debug-kernel", "release", "fuzz", "run", "bench"}
BUILD_SECONDS = 900             # make's limit in a graded tree
ERROR_LINES = 60                # compiler error lines kept for the report


class SubmissionError(Exception):
    """The submission or the trusted tree cannot be used; says why."""


@dataclass
class Prepared:
    """A graded tree: where it is, what of the submission was ignored
    (files outside its paths that differ from the trusted tree, and
    links, which are never copied) and the owned paths it lacks."""
    tree: str
    ignored: List[str] = field(default_factory=list)
    links: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)


@dataclass
class Built:
    """make's outcome in a graded tree: ok, the log file, the compiler's
    errors (when it failed) and how long it took."""
    ok: bool
    log: str
    errors: List[str]
    seconds: float


def tree_files(root):
    """Return the files of the tree at ROOT, relative and sorted: git's
    tracked and untracked-but-not-ignored files that exist in a checkout,
    else every file outside NOT_TREE folders."""
    if os.path.exists(os.path.join(root, ".git")):
        listing = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, check=False)
        if listing.returncode == 0:
            names = {n for n in listing.stdout.decode().split("\0") if n}
            return sorted(n for n in names
                          if os.path.isfile(os.path.join(root, n)))
    return sorted(_walk(root))


def _walk(root):
    """Yield the relative paths of the files under ROOT outside NOT_TREE
    folders (links included, as links)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in NOT_TREE)
        for name in files:
            yield os.path.relpath(os.path.join(folder, name), root)


def _owned(path, owned):
    """True when the relative PATH lies in one of the OWNED paths."""
    return any(path == o.rstrip("/") or path.startswith(o.rstrip("/") + "/")
               for o in owned)


def submission_root(directory, owned):
    """Return the folder of DIRECTORY that holds the submission: itself,
    or, when it holds none of the OWNED paths but exactly one folder
    (an archive unpacked into its own folder), that folder."""
    if any(os.path.lexists(os.path.join(directory, o.rstrip("/")))
           for o in owned):
        return directory
    entries = [e for e in os.listdir(directory)
               if not e.startswith(".") and e != "__MACOSX"]
    if len(entries) == 1 and os.path.isdir(os.path.join(directory,
                                                        entries[0])):
        return os.path.join(directory, entries[0])
    return directory


def prepare(trusted, submission, work, owned, seeded=True):
    """Make WORK/tree: the files of the TRUSTED tree, with the OWNED
    paths replaced by SUBMISSION's; SEEDED: with the trusted build's
    make output too (see seed_build).  Return the Prepared tree."""
    if not os.path.isdir(submission):
        raise SubmissionError("%s is not a folder" % submission)
    submission = submission_root(submission, owned)
    tree = os.path.join(work, "tree")
    if os.path.lexists(tree):
        shutil.rmtree(tree)
    files = tree_files(trusted)
    for name in files:
        dst = os.path.join(tree, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(trusted, name), dst, follow_symlinks=False)
    if seeded:
        seed_build(os.path.join(trusted, "build"),
                    os.path.join(tree, "build"))
    prepared = Prepared(tree)
    for path in owned:
        _replace(submission, trusted, tree, path.rstrip("/"), prepared)
    prepared.ignored = ignored_changes(submission, trusted, owned)
    return prepared


def seed_build(src, dst):
    """Copy the trusted build's make output (SRC, all but NOT_MAKE_OUTPUT)
    to DST with its times, so that make in the graded tree rebuilds only
    what the submission's files change: they are newer than every
    object, and the dependency files name the headers."""
    if not os.path.isdir(src):
        return
    for entry in sorted(os.listdir(src)):
        if entry in NOT_MAKE_OUTPUT or entry.endswith(".lock"):
            continue
        path = os.path.join(src, entry)
        os.makedirs(dst, exist_ok=True)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.copytree(path, os.path.join(dst, entry), symlinks=True)
        else:
            shutil.copy2(path, os.path.join(dst, entry),
                         follow_symlinks=False)


def _replace(submission, trusted, tree, path, prepared):
    """Replace PATH (relative) in TREE by SUBMISSION's; record a PATH
    the submission lacks, and skip its links (a link could reach outside
    the submission)."""
    dst = os.path.join(tree, path)
    if os.path.isdir(dst) and not os.path.islink(dst):
        shutil.rmtree(dst)
    elif os.path.lexists(dst):
        os.unlink(dst)
    src = os.path.join(submission, path)
    if os.path.islink(src):
        prepared.links.append(path)
    elif os.path.isfile(src):
        _copy_owned(submission, trusted, tree, path)
    elif os.path.isdir(src):
        for name in _walk(src):
            rel = os.path.join(path, name)
            if os.path.islink(os.path.join(src, name)):
                prepared.links.append(rel)
            else:
                _copy_owned(submission, trusted, tree, rel)
    else:
        prepared.missing.append(path)


def _copy_owned(submission, trusted, tree, rel):
    """Copy the submission's file REL into TREE.  It gets the current
    time, so make rebuilds what depends on it; but a file with the bytes
    of the TRUSTED tree's keeps that file's time, so the trusted build's
    objects made from those bytes stay up to date."""
    src, dst = os.path.join(submission, rel), os.path.join(tree, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
    mine = os.path.join(trusted, rel)
    if os.path.isfile(mine) and not os.path.islink(mine) and \
            _same_bytes(src, mine):
        shutil.copystat(mine, dst)


def ignored_changes(submission, trusted, owned):
    """Return the files of SUBMISSION outside the OWNED paths that the
    TRUSTED tree lacks or holds with other bytes (sorted, relative):
    what grading ignores."""
    changed = []
    for name in sorted(_walk(submission)):
        if _owned(name, owned):
            continue
        mine, theirs = (os.path.join(submission, name),
                        os.path.join(trusted, name))
        if os.path.islink(mine) or not os.path.isfile(theirs) or \
                not _same_bytes(mine, theirs):
            changed.append(name)
    return changed


def _same_bytes(a, b):
    """True when files A and B hold the same bytes."""
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def child_env():
    """The environment of the make and pytest run in a graded tree:
    without an enclosing make's jobserver or pytest's worker variables,
    which are not theirs, and with this interpreter as the Makefile's
    PYTHON."""
    env = make_env()
    for name in list(env):
        if name.startswith("PYTEST_XDIST") or name == "PYTEST_CURRENT_TEST":
            del env[name]
    return env


def build(tree, log, jobs):
    """Run `make` (what it builds by default) in TREE with JOBS jobs,
    its output in the file LOG; return Built."""
    start = time.monotonic()
    with open(log, "wb") as out:
        try:
            done = subprocess.run(["make", "-C", tree, "-j%d" % jobs],
                                  stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, env=child_env(),
                                  timeout=BUILD_SECONDS)
            ok = done.returncode == 0
        except subprocess.TimeoutExpired:
            out.write(b"\nmake did not finish in %d s\n" % BUILD_SECONDS)
            ok = False
    seconds = time.monotonic() - start
    if ok:
        return Built(True, log, [], seconds)
    with open(log, encoding="utf-8", errors="replace") as src:
        return Built(False, log, compiler_errors(src.read()), seconds)


def compiler_errors(text):
    """Return the lines of make output TEXT that say what failed: each
    error or warning-as-error line with the two lines after it (the
    source line and its caret), make's own failure lines, at most
    ERROR_LINES; the last lines when none of those is found."""
    lines = text.splitlines()
    keep = []
    for number, line in enumerate(lines):
        if "error:" in line or "undefined reference" in line or \
                line.startswith("make") and "***" in line or \
                "did not finish" in line:
            keep += [i for i in range(number, min(number + 3, len(lines)))
                     if i not in keep]
    chosen = [lines[i] for i in sorted(keep)] or lines[-30:]
    if len(chosen) > ERROR_LINES:
        chosen = chosen[:ERROR_LINES] + ["[... more in the build log]"]
    return chosen


def run_tests(tree, test_ids, jobs, timeout_factor=None):
    """Run the kernel tests TEST_IDS (`suite/name`) with the harness of
    TREE, already built (--no-make); return the path of its
    results.json.  Raise SubmissionError when pytest itself fails (not
    when tests fail)."""
    results = os.path.join(tree, "build", "results", "results.json")
    if os.path.exists(results):
        os.unlink(results)
    argv = [sys.executable, "-m", "pytest", "--no-make", "-q", "--tb=no",
            "-p", "no:cacheprovider", "--results-dir=" + os.path.dirname(results)]
    if jobs > 1 and len(test_ids) > 1:
        argv += ["-n", str(min(jobs, len(test_ids)))]
    if timeout_factor:
        argv.append("--timeout-factor=%s" % timeout_factor)
    argv += [os.path.join("harness", "tests", t + ".toml") for t in test_ids]
    done = subprocess.run(argv, cwd=tree, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=child_env())
    # 0: all passed, 1: some failed; anything else is pytest's own error.
    if done.returncode not in (0, 1) or not os.path.exists(results):
        raise SubmissionError("pytest in %s ended with status %d:\n%s" % (
            tree, done.returncode,
            done.stdout.decode("utf-8", "replace")[-3000:]))
    return results


def default_jobs():
    """The jobs of make and pytest: the machine's processors."""
    return max(1, len(os.sched_getaffinity(0)))


def describe(prepared, built: Optional[Built], owned):
    """Return the lines that open a graded submission's report: what it
    owns, what was ignored, and the build's errors when it failed."""
    lines = ["submission paths: %s" % " ".join(owned)]
    if prepared.missing:
        lines.append("the submission lacks: %s" % " ".join(prepared.missing))
    if prepared.links:
        lines.append("links not copied: %s" % " ".join(prepared.links))
    if prepared.ignored:
        lines.append("ignored (outside the submission paths, differ from "
                     "the trusted tree): %d file%s" % (
                         len(prepared.ignored),
                         "" if len(prepared.ignored) == 1 else "s"))
        lines += ["  %s" % name for name in prepared.ignored[:50]]
        if len(prepared.ignored) > 50:
            lines.append("  [... %d more]" % (len(prepared.ignored) - 50))
    if built is not None and not built.ok:
        lines += ["", "the submission does not build: score 0; make's "
                  "errors (whole log: %s):" % built.log]
        lines += ["  " + line for line in built.errors]
    return lines
