"""A build killed at any moment: the next build finds output/ complete (issue 12, item 4).

Builds run in a child process with a hook on ``os.replace`` (the swap's renames) so
that the kill lands exactly between the two renames, or the build waits there.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO, SAMPLE
from tests.treediff import files

HOOKED_BUILD = """
import os, pathlib, signal, sys, time
from generator.cli.main import main
real, mode, flag = os.replace, sys.argv[1], pathlib.Path(sys.argv[2])
def replace(src, dst, *args, **kwargs):
    if str(dst).endswith("site") and mode == "wait":
        flag.with_suffix(".ready").touch()
        while not flag.with_suffix(".go").exists():
            time.sleep(0.01)
    real(src, dst, *args, **kwargs)
    if str(dst).endswith("site") and mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
sys.exit(main(sys.argv[3:]))
"""


def _hooked(
    mode: str, flag: Path, site: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", HOOKED_BUILD, mode, str(flag), "build", "--site", str(site)]
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _until(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.02)


def _leftovers(site: Path) -> list[str]:
    kept = ".output-spare"  # the replaced site, kept on purpose for the next build
    return sorted(
        p.name for p in site.iterdir() if p.name.startswith(".output-") and p.name != kept
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


def test_a_build_killed_between_the_two_renames_is_repaired_by_the_next(
    site: Path, tmp_path: Path
) -> None:
    assert main(["build", "--site", str(site)]) == 0
    before = files(site / "output")
    killed = _hooked("kill", tmp_path / "flag", site)
    assert killed.wait() == -signal.SIGKILL
    assert not (site / "output").exists() and _leftovers(site)
    article = site / "content" / "articles" / "tokyo-rail.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("date: 2024-03-28", "date: 2024-03-"), encoding="utf-8")
    assert main(["build", "--site", str(site)]) == 1
    assert files(site / "output") == before
    assert _leftovers(site) == []
    article.write_text(good, encoding="utf-8")
    assert main(["build", "--site", str(site)]) == 0
    assert _leftovers(site) == []


def test_a_running_builds_folders_are_left_alone(site: Path, tmp_path: Path) -> None:
    assert main(["build", "--site", str(site)]) == 0
    flag = tmp_path / "flag"
    waiting = _hooked("wait", flag, site)
    try:
        _until(flag.with_suffix(".ready").exists, "the other build reached its swap")
        staged = _leftovers(site)
        assert any("-new-" in name for name in staged)
        assert main(["build", "--site", str(site)]) == 0
        assert set(staged) <= set(_leftovers(site))
    finally:
        flag.with_suffix(".go").touch()
        assert waiting.wait() == 0
    assert _leftovers(site) == []
    assert (site / "output" / "index.html").is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_the_indexer_does_not_outlive_a_killed_build(site: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "indexer.pid"
    fake = tmp_path / "pagefind"
    fake.write_text(
        f'#!/bin/sh\necho $$ > "{pid_file}.tmp"\nmv "{pid_file}.tmp" "{pid_file}"\nexec sleep 600\n'
    )
    fake.chmod(0o755)
    build = _hooked("none", tmp_path / "flag", site, {"PAGEFIND_BINARY_PATH": str(fake)})
    _until(pid_file.exists, "the indexer started")
    pid = int(pid_file.read_text())
    build.send_signal(signal.SIGKILL)
    assert build.wait() == -signal.SIGKILL
    _until(lambda: _gone(pid), f"indexer {pid} ended with its build")
    assert main(["build", "--site", str(site)]) == 0
    assert _leftovers(site) == []


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status
