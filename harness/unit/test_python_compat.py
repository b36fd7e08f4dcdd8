"""The harness, the image builder and the benchmarks run on Python 3.10 and
newer (docs/harness.md, "Python and packages").  Without a 3.10
interpreter at hand, two checks stand in for running on one:

- every Python file of the project parses with the grammar of 3.10
  (`ast.parse(feature_version=(3, 10))`) and uses none of the standard
  library names that 3.11 and later added (NEWER_NAMES: the ones such code
  would reach for), tomllib aside, which only harness/compat.py
  imports, falling back to tomli;
- TOML files load the same with tomllib hidden (as on 3.10), through
  tomli: Debian's python3-tomli when installed, else tomllib itself
  standing in under that name (the two have the same API).
"""

import ast
import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# Python programs without a .py suffix.
SCRIPTS = ("harness/grade", "harness/symbolize", "images/build")
SOURCE_DIRS = ("harness", "images", "bench", "userland")
SHIM = "harness/compat.py"

# (module, name) pairs new in Python 3.11 or 3.12; module None: a builtin.
NEWER_NAMES = {
    ("enum", n) for n in ("StrEnum", "ReprEnum", "EnumCheck", "FlagBoundary",
                          "verify", "member", "nonmember", "global_enum",
                          "show_flag_values")
} | {
    ("typing", n) for n in ("Self", "LiteralString", "Never", "assert_never",
                            "assert_type", "reveal_type", "Required",
                            "NotRequired", "TypeVarTuple", "Unpack",
                            "dataclass_transform", "override",
                            "TypeAliasType", "get_overloads")
} | {
    ("datetime", "UTC"), ("hashlib", "file_digest"), ("contextlib", "chdir"),
    ("asyncio", "TaskGroup"), ("asyncio", "timeout"), ("asyncio", "Runner"),
    ("sys", "exception"), ("operator", "call"), ("math", "cbrt"),
    ("math", "exp2"), ("logging", "getLevelNamesMapping"),
    ("itertools", "batched"), ("shutil", "rmtree_onexc"),
    (None, "ExceptionGroup"), (None, "BaseExceptionGroup"),
}
NEWER_MODULES = {"tomllib", "wsgiref.types"}


def python_files():
    """Every Python source of the project, relative to the repository."""
    found = list(SCRIPTS)
    for top in SOURCE_DIRS:
        for folder, dirs, files in os.walk(os.path.join(REPO, top)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            found += [os.path.relpath(os.path.join(folder, f), REPO)
                      for f in files if f.endswith(".py")]
    return sorted(found)


def newer_uses(source, filename="<source>"):
    """Return `LINE: what` for each use in SOURCE of a name or module that
    Python 3.10 lacks; raises SyntaxError for 3.11+ syntax."""
    tree = ast.parse(source, filename, feature_version=(3, 10))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += ["%d: import %s" % (node.lineno, a.name)
                      for a in node.names if a.name in NEWER_MODULES]
        elif isinstance(node, ast.ImportFrom):
            if node.module in NEWER_MODULES:
                found.append("%d: from %s import" % (node.lineno, node.module))
            found += ["%d: %s.%s" % (node.lineno, node.module, a.name)
                      for a in node.names if (node.module, a.name) in NEWER_NAMES]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and (node.value.id, node.attr) in NEWER_NAMES):
            found.append("%d: %s.%s" % (node.lineno, node.value.id, node.attr))
        elif isinstance(node, ast.Name) and (None, node.id) in NEWER_NAMES:
            found.append("%d: %s" % (node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr == "add_note":
            found.append("%d: .add_note()" % node.lineno)
    return found


def test_the_check_finds_what_3_10_lacks():
    assert newer_uses("import enum\nclass K(enum.StrEnum):\n    A = 'a'\n") \
        == ["2: enum.StrEnum"]
    assert newer_uses("from typing import Self, List\n") == ["1: typing.Self"]
    assert newer_uses("import tomllib\n") == ["1: import tomllib"]
    with pytest.raises(SyntaxError):
        newer_uses("try:\n    pass\nexcept* ValueError:\n    pass\n")


@pytest.mark.parametrize("path", python_files())
def test_source_is_python_3_10(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as src:
        source = src.read()
    found = [use for use in newer_uses(source, path)
             if not (path == SHIM and use.endswith("import tomllib"))]
    assert not found, "%s uses what Python 3.10 lacks: %s" % (
        path, "; ".join(found))


# Loads every test-case file and the rubric; prints what came out as JSON.
_LOAD_ALL = r"""
import dataclasses, glob, json, sys
sys.path.insert(0, %(repo)r)
if %(hide)r:
    try:
        import tomli
    except ModuleNotFoundError:
        import tomllib as tomli          # the same API as python3-tomli's
        sys.modules["tomli"] = tomli
    sys.modules["tomllib"] = None        # import tomllib now fails, as on 3.10
from harness.compat import tomllib
from harness.cases import CaseError, is_case_file, load_case
from harness.grading import load_rubric
out = {"via": tomllib.__name__ if tomllib is not sys.modules.get("tomli")
       else "tomli"}
for path in sorted(glob.glob(%(repo)r + "/harness/tests/*/*.toml")):
    if not is_case_file(path):
        continue
    try:
        out[path] = repr(load_case(path))
    except CaseError as err:
        out[path] = "error: %%s" %% err
out["rubric"] = repr(load_rubric(%(repo)r + "/harness/rubric.toml"))
try:
    tomllib.loads("a = ")
except tomllib.TOMLDecodeError as err:
    out["decode error"] = type(err).__name__
print(json.dumps(out))
"""


def load_all(hide):
    done = subprocess.run([sys.executable, "-c",
                           _LOAD_ALL % {"repo": REPO, "hide": hide}],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_toml_loads_the_same_without_tomllib():
    hidden, normal = load_all(True), load_all(False)
    assert hidden.pop("via") == "tomli"
    assert normal.pop("via") == ("tomllib" if sys.version_info >= (3, 11)
                                 else "tomli")
    assert len(hidden) > 200 and hidden["decode error"] == "TOMLDecodeError"
    assert hidden == normal
