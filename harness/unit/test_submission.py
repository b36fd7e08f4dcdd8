"""Unit tests of the graded tree (harness/submission.py): what comes from
the submission, what is ignored, and the build's errors."""

import os

import pytest

from harness import submission


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


OLD = 1_000_000_000     # the trusted sources' time, before their build


@pytest.fixture
def trusted(tmp_path):
    """A trusted tree (no git) with a build whose output is old."""
    root = tmp_path / "trusted"
    write(root, {"mm/a.c": "trusted a", "mm/b.h": "b", "harness/t.toml": "t",
                 "Makefile": "all:", "build/kernel/mm/a.c.o": "obj",
                 "build/results/results.json": "{}"})
    for name in ("mm/a.c", "mm/b.h"):
        os.utime(root / name, (OLD, OLD))
    return root


def test_only_owned_paths_come_from_the_submission(trusted, tmp_path):
    sub = tmp_path / "sub"
    write(sub, {"mm/a.c": "student a", "mm/b.h": "b", "mm/new.c": "n",
                "harness/t.toml": "cheat", "Makefile": "all:",
                "notes.txt": "x", "build/junk": "j", ".git/HEAD": "h"})
    os.symlink("/etc/passwd", sub / "mm" / "link.c")
    work = tmp_path / "work"
    prepared = submission.prepare(str(trusted), str(sub), str(work),
                                  ["mm/"])
    tree = work / "tree"
    assert (tree / "mm" / "a.c").read_text() == "student a"
    assert (tree / "mm" / "new.c").exists()
    assert not (tree / "mm" / "link.c").exists()
    assert (tree / "harness" / "t.toml").read_text() == "t"
    assert prepared.ignored == ["harness/t.toml", "notes.txt"]
    assert prepared.links == ["mm/link.c"] and prepared.missing == []
    # An unchanged file keeps the trusted time (its objects stay valid);
    # a changed one is newer than the trusted build.
    assert (tree / "mm" / "b.h").stat().st_mtime == OLD
    assert (tree / "mm" / "a.c").stat().st_mtime > OLD
    assert (tree / "build" / "kernel" / "mm" / "a.c.o").exists()
    assert not (tree / "build" / "results").exists()
    lines = submission.describe(prepared, None, ["mm/"])
    assert "links not copied: mm/link.c" in lines
    assert "  harness/t.toml" in lines


def test_an_owned_path_the_submission_lacks_is_removed(trusted, tmp_path):
    sub = tmp_path / "sub"
    write(sub, {"README": "nothing"})
    prepared = submission.prepare(str(trusted), str(sub),
                                  str(tmp_path / "w"), ["mm/"], seeded=False)
    assert prepared.missing == ["mm"]
    assert not (tmp_path / "w" / "tree" / "mm").exists()
    assert not (tmp_path / "w" / "tree" / "build").exists()


def test_an_archive_unpacked_in_its_own_folder(trusted, tmp_path):
    sub = tmp_path / "sub"
    write(sub, {"folio-main/mm/a.c": "student a"})
    submission.prepare(str(trusted), str(sub), str(tmp_path / "w"), ["mm/"])
    assert (tmp_path / "w" / "tree" / "mm" / "a.c").read_text() == \
        "student a"


def test_compiler_errors_are_picked_from_makes_output():
    log = ("CC mm/a.c\nmm/a.c:3:5: error: 'x' undeclared\n    3 | x;\n"
           "      | ^\nCC mm/b.c\n"
           "make: *** [Makefile:71: build/kernel/mm/a.c.o] Error 1\n")
    assert submission.compiler_errors(log) == [
        "mm/a.c:3:5: error: 'x' undeclared", "    3 | x;", "      | ^",
        "make: *** [Makefile:71: build/kernel/mm/a.c.o] Error 1"]
    assert submission.compiler_errors("a\nb\n") == ["a", "b"]


def test_run_tests_gives_the_results_dir_with_its_value_in_one_word(
        tmp_path, monkeypatch):
    """pytest reads the harness's options only once it has found the
    harness's conftest, and takes a word after an option it does not know
    yet for a path: `--results-dir DIR` made DIR decide the rootdir, and a
    whole make grade SUBMISSION=... ended in pytest's usage error."""
    import subprocess
    from harness import submission
    results = tmp_path / "build" / "results"
    seen = []

    def fake_run(argv, **kw):
        seen.append(argv)
        results.mkdir(parents=True)
        (results / "results.json").write_text("{}")
        return subprocess.CompletedProcess(argv, 0, b"")
    monkeypatch.setattr(submission.subprocess, "run", fake_run)
    submission.run_tests(str(tmp_path), ["vm/vm-stack-obj"], 1)
    argv = seen[0]
    assert "--results-dir=%s" % results in argv
    assert "--results-dir" not in argv
