"""The kernel's debug information as the harness's symbolizer reads it:
every function of build/kernel.elf must map to its own source file and
line, or a panic or hang there would be reported without its place."""

import re
import subprocess

from harness.symbolize import symbolize
from harness.tools.support import REPO

SOURCE_PLACE = re.compile(r"^(boot|kernel|mm|proc|fs)/\S+\.[cSh]:\d+$")


def function_addresses(elf):
    """The address and name of every function symbol of ELF (readelf)."""
    table = subprocess.run(["readelf", "-sW", elf], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    found = {}
    for line in table.splitlines():
        words = line.split()
        if len(words) >= 8 and words[3] == "FUNC" and int(words[1], 16):
            found["0x" + words[1]] = words[7]
    return found


def test_every_kernel_function_symbolizes_to_its_source(folio):
    functions = function_addresses(folio.kernel_elf)
    assert len(functions) > 100
    addresses = sorted(functions)
    symbolized = symbolize(folio.kernel_elf, addresses, REPO, returns=False)
    wrong = ["%s %s: %s" % (a, functions[a], s.locations[0].place)
             for a, s in zip(addresses, symbolized)
             if not SOURCE_PLACE.match(s.locations[0].place)]
    assert not wrong, "\n".join(wrong)
