"""Search over an index in several parts, in Chromium: the same results, counts and pages
of results as over one index.

The sample site plus 23 articles sharing a word is built twice, its index in one part
and in parts of four records (eight parts); both are served and searched alike.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.publish import PART_SIZE
from tests.browser.test_accessibility import open_page, search_for
from tests.browser.test_search import SUBPATH, _serve, results, wait_for_results
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser

SHARED = 23  # articles with the word "quorum"; more than two pages of ten results
TECHNOLOGY = 8  # of them in the topic Technology: numbers 0, 3, ..., 21


def _articles(site: Path) -> None:
    for number in range(SHARED):
        topic = "technology" if number % 3 == 0 else "economy"
        (site / "content" / "articles" / f"quorum-{number:02d}.md").write_text(
            "---\n"
            f"title: Quorum meeting number {number}\n"
            f"date: 2024-02-{1 + number:02d}\n"
            "outlet: Wire\n"
            "authors: []\n"
            f"tags: [meetings, batch {number % 2}]\n"
            f"topics: [{topic}]\n"
            "---\n\n"
            f"The council reached a quorum at meeting {number}.\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The site with its index in one part and in eight; yields both URLs and the output
    of the second."""
    root = tmp_path_factory.mktemp("parts")
    site = root / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache", "output"))
    _articles(site)
    build(site, root / "one" / SUBPATH, search_part_size=PART_SIZE)
    build(site, root / "many" / SUBPATH, search_part_size=4)
    one, many = _serve(root / "one"), _serve(root / "many")
    yield next(one), next(many), root / "many" / SUBPATH
    for server in (one, many):
        next(server, None)


def counts(page: Any) -> list[str]:
    """Every filter label with its count, as shown."""
    shown: list[str] = page.eval_on_selector_all(
        ".search-filter-values label", "ls => ls.map(l => l.textContent)"
    )
    return shown


def all_results(page: Any) -> list[tuple[str, str, str]]:
    """Every result, pressing "More results" until it is gone."""
    while page.is_visible("#search-more"):
        shown = len(results(page))
        page.click("#search-more")
        page.wait_for_function(
            f"document.querySelectorAll('.search-result').length > {shown}", timeout=30000
        )
    return results(page)


def test_the_parts_are_listed_by_the_build(two_sites: tuple[str, str, Path]) -> None:
    _, _, output = two_sites
    listing = json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert len(listing["parts"]) == 8
    assert all(
        (output / "pagefind" / name / "pagefind-entry.json").is_file() for name in listing["parts"]
    )


def test_a_search_covers_every_part_with_the_counts_of_one_index(
    browser: Any, two_sites: tuple[str, str, Path]
) -> None:
    seen = []
    for url in two_sites[:2]:
        page, elsewhere = open_page(browser, url + "search/index.html", 1280, "light", False)
        page.wait_for_selector(".search-filter-values label", state="attached", timeout=30000)
        page.wait_for_function(
            "[...document.querySelectorAll('.search-filter-count')].every(c => c.textContent)"
        )
        before = counts(page)
        search_for(page, "quorum")
        assert page.inner_text("#search-status") == f"{SHARED} results for “quorum”."
        assert len(results(page)) == 10  # one page of results, then more on request
        found = all_results(page)
        assert len({link for _, link, _ in found}) == SHARED
        after = counts(page)
        page.locator("summary", has_text="Topic").click()
        page.get_by_label("Technology").check()
        wait_for_results(page, TECHNOLOGY)
        narrowed = sorted(title for title, _, _ in results(page))
        found = [(title, link.removeprefix(url), part) for title, link, part in found]
        seen.append((before, sorted(found), after, narrowed))
        page.close()
        assert elsewhere == []
    assert seen[0] == seen[1]
    _, _, after, _ = seen[1]
    assert f"meetings ({SHARED})" in after and f"Technology ({TECHNOLOGY})" in after


class _Gated(http.server.SimpleHTTPRequestHandler):
    """Serves ``pagefind/parts.json`` only once ``gate`` is set."""

    gate = threading.Event()

    def do_GET(self) -> None:
        if self.path.endswith("/pagefind/parts.json"):
            self.gate.wait(60)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        return


def test_words_typed_while_the_index_loads_are_searched(
    browser: Any, two_sites: tuple[str, str, Path]
) -> None:
    served = str(two_sites[2]).removesuffix(f"/{SUBPATH}")
    handler = functools.partial(_Gated, directory=served)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/search/index.html"
        page, _ = open_page(browser, url, 1280, "light", False)
        page.wait_for_selector("#search-status:has-text('Loading')", timeout=30000)
        page.fill("#search-input", "quorum")
        _Gated.gate.set()
        wait_for_results(page, 10)
        assert page.inner_text("#search-status") == f"{SHARED} results for “quorum”."
        page.close()
    finally:
        server.shutdown()
        server.server_close()
