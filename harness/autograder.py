"""`make autograder`: the Gradescope autograder bundle.

The zip holds the trusted tree (submission.tree_files: what grading
copies) with ci/autograder/setup.sh and ci/autograder/run_autograder
also at its root, where Gradescope looks for them; it unpacks the zip in
/autograder/source.  Modes are kept (make runs scripts of the tree).
docs/harness.md, "Grading a course".

  python3 -m harness.autograder [--out build/autograder.zip]
"""

import argparse
import os
import sys
import zipfile

from harness.submission import tree_files

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The bundle's own files: (path in the zip, path in the tree).
ENTRY_POINTS = (("setup.sh", "ci/autograder/setup.sh"),
                ("run_autograder", "ci/autograder/run_autograder"))


def write_bundle(root, out):
    """Write the bundle of the tree at ROOT to the zip OUT (through a
    temporary file, so a reader never sees half of it); return the
    number of files in it."""
    members = [(name, name) for name in tree_files(root)]
    members += list(ENTRY_POINTS)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    partial = "%s.%d.tmp" % (out, os.getpid())
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for arcname, name in members:
            path = os.path.join(root, name)
            info = zipfile.ZipInfo.from_file(path, arcname)
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as src:
                bundle.writestr(info, src.read())
    os.replace(partial, out)
    return len(members)


def main(argv):
    p = argparse.ArgumentParser(prog="make autograder",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(REPO, "build",
                                                 "autograder.zip"))
    args = p.parse_args(argv)
    count = write_bundle(REPO, args.out)
    print("%s: %d files; upload it as the autograder of a Gradescope "
          "programming assignment" % (os.path.relpath(args.out), count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
