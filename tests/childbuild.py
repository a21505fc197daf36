"""``digest build`` in a fresh process: the way to build with worker processes in a test.

Workers are forked only from a process running no other thread (``parallel.can_fork``);
the test process may hold threads (a preview session's indexer, a server of an earlier
test), where ``build(jobs=2)`` quietly renders in one process.  A child process has none.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_in_child(
    site: Path, output: Path, *, jobs: int, cache: bool = True, search: bool = True
) -> int:
    """Build ``site`` into ``output`` with ``jobs`` workers in a new interpreter; return
    the number of pages written.  Fails the test with the build's output if it fails."""
    command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    command += ["--output", str(output), "--jobs", str(jobs)]
    command += ([] if cache else ["--no-cache"]) + ([] if search else ["--no-search"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    built = re.search(r"Built (\d+) pages?", done.stdout + done.stderr)
    assert built is not None, done.stdout + done.stderr
    return int(built.group(1))
