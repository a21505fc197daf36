"""Work spread over forked workers comes back whole and in order, in pieces of bounded size."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.render import parallel

ROOT = Path(__file__).resolve().parents[1]


def test_pieces_of_work_are_bounded_and_cover_the_items_in_order() -> None:
    items = list(range(100_000))
    pieces = parallel.chunked(items, jobs=2)
    assert max(len(piece) for piece in pieces) == parallel.CHUNK_MOST
    assert [item for piece in pieces for item in piece] == items
    small = parallel.chunked(items[:100], jobs=2)
    assert 14 <= len(small) <= 16 and [i for piece in small for i in piece] == items[:100]


def test_many_pieces_come_back_in_order_from_two_workers() -> None:
    """More pieces than the window of work given out ahead: every result, in order, made
    by forked workers (not the calling process).  Run in a fresh interpreter: workers are
    forked only from a process without other threads, which the test process may have."""
    script = textwrap.dedent(
        """
        import os
        from generator.render import parallel

        def task(piece):
            return os.getpid(), [item * item for item in piece]

        assert parallel.can_fork()
        pieces = parallel.chunked(list(range(3_000)), jobs=2)
        assert len(pieces) > 2 * parallel.IN_FLIGHT * 2
        results = list(parallel.ordered_map(task, pieces, jobs=2))
        squares = [square for _, part in results for square in part]
        assert squares == [i * i for i in range(3_000)]
        assert os.getpid() not in {pid for pid, _ in results}
        print("ok")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_notes_anchored_by_two_workers_warn_as_in_one_process(tmp_path: Path) -> None:
    """The sample site's commentary (notes that re-anchor, and notes that find no place) is
    anchored by forked workers with ``--jobs 2``: the build prints the same warnings, in
    the same order, and writes the same site as with one process."""
    from tests.conftest import SAMPLE
    from tests.treediff import describe_difference

    printed = []
    for jobs in (1, 2):
        command = [sys.executable, "-m", "generator", "build", "--site", str(SAMPLE)]
        command += ["--output", str(tmp_path / str(jobs)), "--jobs", str(jobs)]
        command += ["--no-cache", "--no-search"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        lines = (done.stdout + done.stderr).splitlines()
        printed.append([line.replace(str(tmp_path / str(jobs)), "OUT") for line in lines])
    assert any("warning[" in line for line in printed[0]), printed[0]
    assert [line for line in printed[1] if "Built" not in line] == [
        line for line in printed[0] if "Built" not in line
    ]
    assert describe_difference(tmp_path / "1", tmp_path / "2") == ""
