"""Longest first across pytest-xdist's workers (docs/harness.md, "Order").

conftest.py sorts the tests longest first by their reference durations.
xdist's own `load` scheduler would then hand each worker a consecutive
chunk of that order to start with (a quarter of its share): the first
worker would get all of the longest tests and finish long after the
others.  This scheduler keeps the order and hands tests out one at a time
to whichever worker is ready: each worker holds at most AHEAD tests (the
one it runs and the next, which pytest needs in hand to run the first),
so the longest tests spread over all workers and every worker ends on
short ones.

It changes only how xdist's LoadScheduling deals tests out; the node and
collection bookkeeping is xdist's (the same in pytest-xdist 2.5, 3.1 and
3.5, the versions of Ubuntu 22.04, Debian 12 and Ubuntu 24.04).
"""

from xdist.scheduler import LoadScheduling

# How many tests a worker holds at once: the one it runs and the next.
AHEAD = 2


class LongestFirst(LoadScheduling):
    """xdist's load scheduling, dealing the collection out in its order
    to the first worker with room, AHEAD tests at most per worker."""

    def schedule(self):
        """Start the run once every worker has collected the same tests:
        deal AHEAD tests to each worker in turn.  Called again later (a
        worker added), it tops every worker up."""
        assert self.collection_is_completed
        if self.collection is not None:
            for node in self.nodes:
                self.check_schedule(node)
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = list(self.node2collection.values())[0]
        self.pending[:] = range(len(self.collection))
        for _ in range(AHEAD):
            for node in self.nodes:
                self._send_tests(node, 1)
        if not self.pending:
            for node in self.nodes:
                node.shutdown()

    def check_schedule(self, node, duration=0):
        """NODE finished a test (or the run starts): give it the next
        pending tests until it holds AHEAD, or shut it down when none are
        left."""
        if node.shutting_down:
            return
        if not self.pending:
            node.shutdown()
            return
        room = AHEAD - len(self.node2pending[node])
        if room > 0:
            self._send_tests(node, room)
