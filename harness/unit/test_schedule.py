"""harness/schedule.py: the tests are dealt out in their order (longest
first), one at a time, to the worker with room, never in chunks."""

from harness.schedule import AHEAD, LongestFirst


class FakeConfig:
    """What xdist's LoadScheduling reads of the config: `-n 2`."""

    def getvalue(self, name):
        assert name == "tx"
        return ["2*popen"]


class FakeGateway:
    def __init__(self, name):
        self.id = name


class FakeNode:
    """A worker: records the test indices it was sent and its shutdown."""

    def __init__(self, name):
        self.gateway = FakeGateway(name)
        self.sent = []
        self.shutting_down = False

    def send_runtest_some(self, indices):
        self.sent.extend(indices)

    def shutdown(self):
        self.shutting_down = True


def start(tests):
    scheduler = LongestFirst(FakeConfig())
    nodes = [FakeNode("gw0"), FakeNode("gw1")]
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, tests)
    scheduler.schedule()
    return scheduler, nodes


def finish(scheduler, node):
    """NODE finishes the first test it holds."""
    scheduler.mark_test_complete(node, scheduler.node2pending[node][0])


def test_the_longest_tests_go_to_different_workers():
    tests = ["t%d" % i for i in range(10)]
    scheduler, (a, b) = start(tests)
    # dealt in turn: the two longest go to different workers
    assert a.sent == [0, 2] and b.sent == [1, 3]
    assert len(scheduler.node2pending[a]) == AHEAD


def test_a_worker_that_finishes_gets_the_next_test_only():
    tests = ["t%d" % i for i in range(10)]
    scheduler, (a, b) = start(tests)
    finish(scheduler, b)
    finish(scheduler, b)
    assert b.sent == [1, 3, 4, 5] and a.sent == [0, 2]


def test_workers_shut_down_when_nothing_is_left():
    tests = ["t0", "t1", "t2"]
    scheduler, (a, b) = start(tests)
    assert a.sent == [0, 2] and b.sent == [1]
    assert a.shutting_down and b.shutting_down
    assert scheduler.tests_finished is False
    for node in (a, b):
        while scheduler.node2pending[node]:
            finish(scheduler, node)
    assert scheduler.tests_finished
