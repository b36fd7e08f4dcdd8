"""Sharding a session over several machines, and merging their results
(docs/harness.md, "Grading a course").

`pytest harness --shard K/N` (or GitLab's CI_NODE_INDEX and
CI_NODE_TOTAL, K 1-based) runs the K-th of N shards of the selected
tests: the tests, longest first by their reference durations
(harness/durations.py), ties by id, each go to the shard with the least
time so far (ties to the lowest shard).  The partition depends only on
the selected ids and the durations file, so every machine of a CI job
computes the same one, and every test is in exactly one shard.

merge() reads the results.json and junit.xml of several runs back into
one list of records, which harness/merge writes as one run's files:
harness/grade grades them as it grades an unsharded run.
"""

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from harness import results

SHARD_RE = re.compile(r"([0-9]+)/([0-9]+)")
GITLAB_INDEX, GITLAB_TOTAL = "CI_NODE_INDEX", "CI_NODE_TOTAL"


class ShardError(Exception):
    """A bad shard or results that cannot be merged; the message says
    why."""


@dataclass(frozen=True)
class Shard:
    """The INDEX-th (1-based) of TOTAL shards."""
    index: int
    total: int

    def __str__(self):
        return "%d/%d" % (self.index, self.total)


def parse(text):
    """Return the Shard of TEXT, `K/N` with 1 <= K <= N."""
    match = SHARD_RE.fullmatch(text.strip())
    if not match:
        raise ShardError("a shard is K/N (e.g. 2/3), not %r" % text)
    shard = Shard(int(match.group(1)), int(match.group(2)))
    if not 1 <= shard.index <= shard.total:
        raise ShardError("shard %s: K must be from 1 to N" % shard)
    return shard


def from_environment(environ):
    """Return the Shard that GitLab's `parallel:` names in ENVIRON
    (CI_NODE_INDEX of CI_NODE_TOTAL), or None when it names none."""
    index, total = environ.get(GITLAB_INDEX), environ.get(GITLAB_TOTAL)
    if not index or not total:
        return None
    try:
        return parse("%s/%s" % (index, total))
    except ShardError as err:
        raise ShardError("%s and %s: %s" % (GITLAB_INDEX, GITLAB_TOTAL,
                                             err)) from None


def partition(weights, total):
    """Return TOTAL lists of ids, the shards of WEIGHTS ({id: seconds}):
    longest first (ties by id), each into the lightest shard so far
    (ties to the first); each list sorted."""
    bins = [[] for _ in range(total)]
    loads = [0.0] * total
    for test_id in sorted(weights, key=lambda t: (-weights[t], t)):
        lightest = min(range(total), key=lambda i: (loads[i], i))
        bins[lightest].append(test_id)
        loads[lightest] += weights[test_id]
    return [sorted(members) for members in bins]


def select(weights, shard):
    """Return the set of ids of WEIGHTS ({id: seconds}) in SHARD."""
    return set(partition(weights, shard.total)[shard.index - 1])


def _results_files(source):
    """Return (results.json, junit.xml or None) of SOURCE: a results.json
    (its junit.xml beside it, if any) or a directory holding both."""
    if os.path.isdir(source):
        directory, json_path = source, os.path.join(source, "results.json")
    else:
        directory, json_path = os.path.dirname(source), source
    junit = os.path.join(directory, "junit.xml")
    return json_path, junit if os.path.exists(junit) else None


def _junit_messages(path):
    """Return {(classname, name): text} of the failures and errors of
    the JUnit file at PATH (the whole reports results.json leaves out)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        raise ShardError("%s: %s" % (path, err)) from None
    messages = {}
    for case in root.iter("testcase"):
        for tag in ("failure", "error"):
            outcome = case.find(tag)
            if outcome is not None:
                messages[(case.get("classname"), case.get("name"))] = \
                    outcome.text or ""
    return messages


def merge(sources):
    """Return the records of the runs SOURCES (see _results_files) as
    one run's, ordered as a session orders them, each failure with its
    whole report from its junit.xml.  ShardError when a source cannot be
    read or two of them hold the same test (shards overlap, or one was
    given twice)."""
    merged, origin = {}, {}
    for source in sources:
        json_path, junit = _results_files(source)
        try:
            records = results.load_json(json_path)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ShardError("%s: %s" % (json_path, err)) from None
        messages = _junit_messages(junit) if junit else {}
        for test_id, record in records.items():
            if test_id in merged:
                raise ShardError("%s is in both %s and %s" % (
                    test_id, origin[test_id], json_path))
            if record.status.failing:
                record.message = messages.get(results.junit_key(record))
            merged[test_id], origin[test_id] = record, json_path
    return results.ordered(merged.values())
