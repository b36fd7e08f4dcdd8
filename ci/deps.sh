#!/bin/sh
# Install the packages Folio needs, or say exactly what to run.
# Called by `make deps`, by `make run` / `make check` before they start,
# and by the Gradescope bundle's setup.sh (ci/autograder/).
# The package names are those of Debian 12, Ubuntu 22.04 and Ubuntu 24.04
# alike (docs/harness.md, "Python and packages").  PYTHON is the
# interpreter the harness runs with (the Makefile's PYTHON): pytest,
# pytest-xdist and, before Python 3.11 (no tomllib), tomli are checked
# for in that one.
set -e
PYTHON=${PYTHON:-/usr/bin/python3}
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have gcc || need="$need gcc"
have make || need="$need make"
have qemu-system-x86_64 || need="$need qemu-system-x86"
have grub-mkimage || need="$need grub-common"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
have xorriso || need="$need xorriso"
have mformat || need="$need mtools"
have addr2line || need="$need binutils"
have gdb || need="$need gdb"
have perl || need="$need perl"
# One interpreter start for all the Python checks: find_spec looks the
# modules up without importing them (importing pytest alone takes a
# quarter of a second, and `make run` calls this script every time).
py_missing() {
    "$PYTHON" -c '
import sys
from importlib.util import find_spec
if sys.version_info < (3, 10):
    print("too-old")
    sys.exit()
need = [pkg for mod, pkg in (("pytest", "python3-pytest"),
                             ("xdist", "python3-pytest-xdist"))
        if find_spec(mod) is None]
if find_spec("tomllib") is None and find_spec("tomli") is None:
    need.append("python3-tomli")
print(" ".join(need))
' 2>/dev/null
}
if ! have "$PYTHON"; then
    need="$need python3 python3-pytest python3-pytest-xdist"
else
    missing=$(py_missing)
    if [ "$missing" = too-old ]; then
        echo "deps: $PYTHON is older than Python 3.10" >&2
        exit 1
    fi
    [ -n "$missing" ] && need="$need $missing"
fi
[ -z "$need" ] && exit 0
echo "deps: missing:$need"
if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $need
else
    echo "deps: run as root: apt-get update && apt-get install -y$need" >&2
    exit 1
fi
