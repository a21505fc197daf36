"""Real-browser fixtures: the example site built and served on 127.0.0.1, headless Chromium.

Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``DIGEST_CHROMIUM``);
it never downloads a browser.  Without Chromium these tests are skipped, unless
``DIGEST_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.content.config import load_config
from generator.diagnostics import Diagnostics
from tests.conftest import REPO

# Debian's package, by its path: a ``chromium`` earlier on PATH may be a downloaded build.
CHROMIUM = os.environ.get("DIGEST_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
    if os.environ.get("DIGEST_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def site_path(site: Path) -> str:
    """The path part of a site's ``base_url``, e.g. ``/digest/``."""
    config = load_config(site, Diagnostics())
    assert config is not None
    return config.base_path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site built and served under its ``base_url`` path; yields its URL.

    Served under the same path as on GitHub Pages (``/digest/``), so the 404 page's
    root-relative links resolve too.
    """
    root = tmp_path_factory.mktemp("served")
    prefix = site_path(REPO)
    build(REPO, root / prefix.strip("/"))
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
