"""Take the README's screenshot: the example site's article page with its notes.

    .venv/bin/python docs/screenshot.py [--width 1280] [--height 1500] [--scheme light]
                                        [--page articles/<slug>/index.html] [--out FILE]

Builds the example digest into a temporary folder, serves it on 127.0.0.1 and
photographs a page in headless Chromium (Debian's ``/usr/bin/chromium`` through
Playwright, the same tooling as the browser tests; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ARTICLE = "articles/chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate/index.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` built into a temporary folder and served on 127.0.0.1; yields its URL."""
    with tempfile.TemporaryDirectory() as tmp:
        build(site, Path(tmp) / "output")
        handler = functools.partial(_Quiet, directory=str(Path(tmp) / "output"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()


def shoot(url: str, out: Path, width: int, height: int, scheme: str, full: bool) -> None:
    """Save a PNG of the page at ``url`` as Chromium shows it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        page.goto(url)
        page.screenshot(path=str(out), full_page=full)
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--page", default=ARTICLE)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    args = parser.parse_args()
    with served(args.site) as url:
        shoot(url + args.page, args.out, args.width, args.height, args.scheme, args.full_page)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
