"""The environment of a make that the harness starts itself.

Under `make check` the harness runs inside make, whose variables
(MAKEFLAGS with its jobserver's file descriptors, MAKELEVEL) reach every
process it starts.  A make started from Python gets none of those
descriptors, so with the variables it would warn that the jobserver is
unavailable and take the enclosing make's level; without them it is a
make of its own, with the Makefile's own parallelism."""

import os
import sys

ENCLOSING_MAKE = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


def make_env():
    """This process's environment without an enclosing make's variables,
    and with PYTHON the interpreter running the harness, so that make's
    Python steps run with it too."""
    env = dict(os.environ)
    for name in ENCLOSING_MAKE:
        env.pop(name, None)
    env["PYTHON"] = sys.executable
    return env
