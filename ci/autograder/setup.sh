#!/bin/sh
# Gradescope runs this once, as root, when it builds the autograder's
# image (Ubuntu 22.04 or 24.04): the bundle (make autograder) is unpacked
# in /autograder/source.  It installs the packages ci/deps.sh names and
# builds the trusted tree, whose build every submission's build starts
# from (docs/harness.md, "Grading a course").
# FOLIO_AUTOGRADER_ROOT moves /autograder (the tests lay one out in a
# temporary folder).
set -e
root="${FOLIO_AUTOGRADER_ROOT:-/autograder}"
cd "$root/source"
sh ci/deps.sh
make
