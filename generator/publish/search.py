"""Search: a built site indexed with Pagefind into ``pagefind/``, for the search page.

Pagefind (from PyPI: the ``pagefind`` package with its extended binary, which
also segments Chinese, Japanese and Korean words) reads the built HTML: it
indexes only the elements marked ``data-pagefind-body`` (the article pages),
skips ``data-pagefind-ignore``, and records the ``data-pagefind-filter``
values (topic, tag, outlet).  Result URLs end at the page's folder, like every
link of the site, or keep ``index.html`` for a site built with ``links: files``.
Pagefind's chunk names vary from run to run, so ``pagefind/`` is the one part of
a build that is not byte-identical.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pagefind.service import get_executable

from generator.diagnostics import Diagnostic, Location, Severity

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 600


class SearchFailed(Exception):
    """The search index could not be built; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def index_site(folder: Path, *, file_links: bool = False) -> None:
    """Index the built site in ``folder`` into ``folder/pagefind/``.

    ``file_links``: result URLs name ``index.html`` (for a site read from disk).
    Raises :class:`SearchFailed` when Pagefind is missing or fails.
    """
    executable = _executable()
    command = [str(executable), "--site", str(folder), "--output-subdir", BUNDLE, "--silent"]
    if file_links:
        command.append("--keep-index-url")
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            preexec_fn=_dies_with_parent(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchFailed(_failure(f"could not run Pagefind ({executable}): {exc}")) from exc
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().splitlines()
        message = f"Pagefind failed with exit code {done.returncode}"
        raise SearchFailed(_failure(message, tuple(output[-20:])))


_PR_SET_PDEATHSIG = 1


def _dies_with_parent() -> Callable[[], None] | None:
    """On Linux, a hook that makes the child get SIGKILL when the build dies (even by
    ``kill -9``), so Pagefind never outlives its build writing into a dead staging folder.
    (Python's own cleanup kills it on any exception or Ctrl-C.)"""
    if not sys.platform.startswith("linux"):
        return None

    def bind() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return bind


def _executable() -> Path:
    try:
        found = get_executable()
    except FileNotFoundError:
        found = None
    if found is None or not found.is_file():
        raise SearchFailed(_failure("the Pagefind binary is not installed"))
    return found


def _failure(message: str, detail: tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(
        Location("search"),
        Severity.ERROR,
        "search-index",
        message,
        "reinstall digest with its dependencies (pip install -e .), which bring "
        "'pagefind[extended]'; or set PAGEFIND_BINARY_PATH to a pagefind binary",
        detail,
    )
