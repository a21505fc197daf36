"""A build killed at any moment: the next build finds output/ complete (issue 12, item 4).

Builds run in a child process with a hook on ``os.replace`` (the swap's renames) so
that the kill lands exactly between the two renames, or the build waits there.
"""

from __future__ import annotations

import contextlib
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


# --- Ctrl-C and SIGTERM while worker processes render (issue 16) ------------------------

SLOW = "{% for i in range(3000000) %}{% endfor %}"  # some 0.2 s a page: the build is mid-render
SIGTERM_BIT = 1 << (signal.SIGTERM - 1)


def _slow_layouts(site: Path) -> None:
    """The site's own base layout, a bundled one that takes long to render each page."""
    base = (REPO / "layouts" / "base.html").read_text(encoding="utf-8")
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts" / "base.html").write_text(base.replace("<head>", "<head>" + SLOW, 1))


def _children(pid: int) -> list[int]:
    try:
        return [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _in_session(session: int) -> list[int]:
    """The live processes of ``session`` (the build and whatever it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if fields and int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry.name))
    return found


# Ctrl-C as a terminal sends it: a build run from a non-interactive shell's background job
# (``make test &``, some CI runners) inherits SIGINT ignored, and Python then leaves it so;
# the build under test starts with the default, as from a terminal.
WITH_CTRL_C = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); " + (
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def _start(site: Path, script: list[str], **popen: object) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", WITH_CTRL_C, sys.executable, *script]
    command += ["build", "--site", str(site), "--jobs", "2"]
    command += ["--no-search"]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        command, env=environment, text=True, start_new_session=True, **popen
    )


def _stop(build: subprocess.Popen[str], how: str) -> None:
    """``ctrl-c``: SIGINT to the terminal's whole process group; ``kill``: SIGTERM to the
    build alone; ``kill-group``: SIGTERM to the group (``kill -- -PGID``, a CI runner)."""
    if how == "kill":
        build.send_signal(signal.SIGTERM)
    else:
        os.killpg(build.pid, signal.SIGINT if how == "ctrl-c" else signal.SIGTERM)


def _ended(build: subprocess.Popen[str]) -> tuple[int, str]:
    """The build's exit code and what it said on stderr, once it and every process it
    started have ended (the guard only keeps a hung build from hanging the suite)."""
    try:
        _, said = build.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build hung; its processes: {_in_session(build.pid)}")
    _until(lambda: _in_session(build.pid) == [], "every process of the build ended")
    return build.returncode, said


def _rendering(site: Path) -> tuple[dict[str, bytes], subprocess.Popen[str]]:
    """The files of a first build, then a slow build of ``site`` started and caught with
    both its workers rendering."""
    assert main(["build", "--site", str(site), "--no-search"]) == 0
    before = files(site / "output")
    _slow_layouts(site)
    build = _start(site, ["-m", "generator"], stderr=subprocess.PIPE)
    try:
        _until(lambda: len(_children(build.pid)) == 2, "both workers started")
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
        raise
    return before, build


STOPS = [
    ("ctrl-c", 130, "interrupted\n"),
    ("kill", 143, "terminated\n"),
    ("kill-group", 143, "terminated\n"),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers, /proc")
@pytest.mark.parametrize(("how", "code", "message"), STOPS)
def test_a_build_stopped_while_its_workers_render_says_one_line_and_leaves_nothing(
    site: Path, how: str, code: int, message: str
) -> None:
    """Ctrl-C or ``kill`` while two workers render: one line said (no worker's traceback),
    the exit code of the signal, every worker ended, no staging folder left, the last
    output kept whole."""
    before, build = _rendering(site)
    try:
        _stop(build, how)
        assert _ended(build) == (code, message)
    finally:  # on failure, nothing of the build outlives the test
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    assert _leftovers(site) == []
    assert files(site / "output") == before


WORKERS_WAIT_AT_BIRTH = """
import ctypes, sys
from generator.cli.main import run
libc = ctypes.CDLL(None)
# Each forked child first reads a byte of its standard input, in C, before CPython's own
# after-fork code: a worker that the scheduler has not run yet, for as long as the test wants.
libc.__register_atfork(None, None, ctypes.cast(libc.getchar, ctypes.c_void_p), None)
run()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc fork hook, /proc")
@pytest.mark.parametrize(("how", "code", "message"), STOPS)
def test_workers_ended_before_they_first_ran_do_not_hang_the_build(
    site: Path, how: str, code: int, message: str
) -> None:
    """The build is stopped, and ends its workers, before they have run at all: each
    takes its SIGTERM when it runs and ends, and the build does not wait for them forever
    (a SIGTERM caught by the handler a worker inherited was dropped by CPython's
    after-fork code: the worker lived on, and the build waited for it)."""
    held, release = os.pipe()  # the workers' standard input: they wait until it closes
    build = _start(site, ["-c", WORKERS_WAIT_AT_BIRTH], stdin=held, stderr=subprocess.PIPE)
    os.close(held)
    try:
        _until(lambda: len(_children(build.pid)) == 2, "both workers forked")
        _stop(build, how)
        _until(lambda: _waiting_for_children(build.pid), "the build ended its workers")
        os.close(release)  # the workers run now
        assert _ended(build) == (code, message)
    finally:
        with contextlib.suppress(OSError):
            os.close(release)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    assert _leftovers(site) == []


def _waiting_for_children(pid: int) -> bool:
    """Whether ``pid`` waits for a child to end (it has sent the SIGTERMs), or is gone."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text() in ("do_wait", "")
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers, /proc")
def test_a_worker_killed_while_it_renders_ends_the_build_with_one_error(site: Path) -> None:
    """A worker killed mid-render (``kill -9``, the kernel short of memory): the build says
    so in one error line and ends (it waited forever for the lost work), output kept."""
    before, build = _rendering(site)
    try:
        os.kill(_children(build.pid)[0], signal.SIGKILL)
        code, said = _ended(build)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    assert code == 1
    assert said.startswith(
        "error: a worker process ended before its work was done (killed by SIGKILL); "
        "output/ is unchanged\n    hint: "
    )
    assert "Traceback" not in said
    assert _leftovers(site) == []
    assert files(site / "output") == before
