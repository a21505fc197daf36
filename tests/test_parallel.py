"""Work spread over forked workers comes back whole and in order, in pieces of bounded size."""

from __future__ import annotations

import os
import subprocess
import sys

from generator.render import parallel
from tests.conftest import REPO


def test_pieces_of_work_are_bounded_and_cover_the_items_in_order() -> None:
    items = list(range(10_000))
    pieces = parallel.chunked(items, jobs=2)
    assert max(len(piece) for piece in pieces) == parallel.CHUNK_MOST
    assert [item for piece in pieces for item in piece] == items
    small = parallel.chunked(items[:100], jobs=2)
    assert 14 <= len(small) <= 16 and [i for piece in small for i in piece] == items[:100]


def test_many_pieces_come_back_in_order_from_two_workers() -> None:
    """More pieces than the window of work given out ahead: every result, in order, made
    by forked workers (not this process).  Run in a fresh interpreter: forking is refused
    while other threads run, as they do in this test session (browser, servers)."""
    code = """
import os
from generator.render import parallel
here = os.getpid()
def task(piece):
    return os.getpid(), [item * item for item in piece]
pieces = parallel.chunked(list(range(3_000)), jobs=2)
assert len(pieces) > 2 * parallel.IN_FLIGHT * 2, len(pieces)
assert parallel.can_fork()
results = list(parallel.ordered_map(task, pieces, jobs=2))
assert [square for _, part in results for square in part] == [i * i for i in range(3_000)]
assert here not in {pid for pid, _ in results}
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout == "ok\n", done.stderr
