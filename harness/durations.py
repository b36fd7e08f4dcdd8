"""Reference durations: how long each test takes on a correct kernel,
kept in the tree (harness/durations.json) and refreshed by
`harness/durations` (or `make durations`) from the results.json of runs
of the whole suite (docs/harness.md, "Watchdogs").

Two things read them: each kernel test's watchdog, which is its
reference duration times a factor, at least a floor and at most the
test's own `timeout` (a test with no reference keeps its `timeout`), and
the sharding of a run over several machines (harness/shard.py), which
balances the shards by them.
"""

import dataclasses
import json
import os
import statistics
from dataclasses import dataclass, field
from typing import Dict

from harness import results

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(REPO, "harness", "durations.json")

# A test's watchdog is FACTOR times its reference duration, and never
# less than FLOOR seconds, unless the file says otherwise.  The references come from whole-suite runs
# (`pytest -n auto`) on a loaded two-core machine; the factor and the
# floor leave room for a machine several times as loaded, so that `make
# check` never depends on the machine's speed, while a hung test costs
# its floor instead of the 30 to 60 s of a flat timeout.  A slower
# machine still has --timeout-factor, which multiplies the whole.
FACTOR = 5.0
FLOOR = 20.0
# The weight, for sharding, of a test with no reference: a unit test
# runs in a fraction of a second, a new kernel test about as long as a
# typical one (the median of the references).
UNIT_WEIGHT = 0.1


class DurationsError(Exception):
    """The durations file or a results file cannot be used; the message
    says why."""


@dataclass
class Durations:
    """The reference durations, {test id: seconds}, the boot path they
    were measured with (the name of the default session's
    runner.Config.boot), and the factor and floor of the watchdogs."""
    seconds: Dict[str, float] = field(default_factory=dict)
    boot: str = ""
    factor: float = FACTOR
    floor: float = FLOOR

    def watchdog(self, case):
        """The watchdog's limit for CASE (a cases.Case) before the
        session's --timeout-factor: the factor times its reference, at
        least the floor, at most its own `timeout`; its `timeout` when it
        has no reference."""
        reference = self.seconds.get(case.id)
        if reference is None:
            return case.timeout
        return min(case.timeout, max(self.floor, self.factor * reference))

    def weight(self, test_id, kernel_test):
        """The weight of TEST_ID for sharding: its reference, else
        UNIT_WEIGHT for a unit test and the median reference for a kernel
        test (KERNEL_TEST true)."""
        if test_id in self.seconds:
            return self.seconds[test_id]
        if not kernel_test:
            return UNIT_WEIGHT
        return statistics.median(self.seconds.values()) \
            if self.seconds else 1.0

    def to_json(self):
        return {"boot": self.boot,
                "factor": self.factor, "floor": self.floor,
                "tests": dict(sorted(self.seconds.items()))}


def load(path=PATH):
    """Return the Durations of the file at PATH; empty ones when there is
    no such file (every watchdog is then its test's `timeout`)."""
    try:
        with open(path) as src:
            data = json.load(src)
    except FileNotFoundError:
        return Durations()
    except (OSError, ValueError) as err:
        raise DurationsError("%s: %s" % (path, err)) from None
    if not isinstance(data, dict) or set(data) - set(KEYS):
        raise DurationsError("%s: an object with the keys %s"
                             % (path, ", ".join(KEYS)))
    tests = data.get("tests", {})
    if not isinstance(tests, dict) or not all(
            _seconds(v) for v in tests.values()):
        raise DurationsError("%s: needs \"tests\": {id: seconds}" % path)
    factor, floor = data.get("factor", FACTOR), data.get("floor", FLOOR)
    if not _seconds(factor) or not _seconds(floor):
        raise DurationsError("%s: factor and floor are numbers" % path)
    return Durations({k: float(v) for k, v in tests.items()},
                     str(data.get("boot", "")), float(factor), float(floor))


KEYS = ("boot", "factor", "floor", "tests")


def _seconds(value):
    """True for an int or float that is not negative."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and value >= 0


def measured(runs):
    """Return {id: seconds} from RUNS (lists of results.Record of whole
    runs on a correct kernel): each test's longest time over the runs.
    DurationsError when a test failed or errored in one of them: its time
    says nothing about a correct run."""
    seconds, failed = {}, []
    for records in runs:
        for record in records:
            if record.status.failing:
                failed.append(record.id)
            elif record.status == results.Status.PASSED:
                seconds[record.id] = max(seconds.get(record.id, 0.0),
                                         record.seconds)
    if failed:
        raise DurationsError(
            "%d tests failed, so these runs are not of a correct kernel: %s"
            % (len(failed), ", ".join(sorted(set(failed)))))
    return seconds


def refresh(old, new, exists):
    """Return the Durations of OLD with the times NEW ({id: seconds})
    replacing theirs; tests that NEW lacks keep their old time while the
    predicate EXISTS(id) holds (a test of a run restricted by -k or a
    shard), and are dropped once their test is gone."""
    seconds = {k: v for k, v in old.seconds.items() if exists(k)}
    seconds.update({k: round(v, 2) for k, v in new.items()})
    return dataclasses.replace(old, seconds=seconds)


def write(path, durations):
    """Write DURATIONS to PATH as JSON (sorted, one test a line)."""
    with open(path, "w") as out:
        json.dump(durations.to_json(), out, indent=1)
        out.write("\n")
