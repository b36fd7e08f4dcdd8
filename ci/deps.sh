#!/bin/sh
# Install the Debian packages Folio needs, or say exactly what to run.
# Called by `make deps`, by `make run` / `make check` before they start,
# and by the Gradescope bundle's setup.sh (ci/autograder/).
set -e
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have make || need="$need make"
have gcc || need="$need gcc"
have qemu-system-x86_64 || need="$need qemu-system-x86"
have grub-mkimage || need="$need grub-common"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
have xorriso || need="$need xorriso"
have mformat || need="$need mtools"
have addr2line || need="$need binutils"
have gdb || need="$need gdb"
have perl || need="$need perl"
/usr/bin/python3 -c 'import pytest' 2>/dev/null || need="$need python3-pytest"
/usr/bin/python3 -c 'import xdist' 2>/dev/null || need="$need python3-pytest-xdist"
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
