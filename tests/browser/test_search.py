"""Search in Chromium: Pagefind's index and UI from the static files, under a subpath too.

The example site (served under ``/digest/``) finds its seed article by a word of
its body; the sample site, served under a deeper path, finds words of the
commentary, and its topic filter narrows the results.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from generator.build import build
from tests.browser.test_accessibility import open_page, search_for
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser

SUBPATH = "some/sub/path"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site built and served under ``/some/sub/path/``; yields its URL."""
    root = tmp_path_factory.mktemp("sample")
    build(SAMPLE, root / SUBPATH)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()
    server.server_close()


def results(page: Any) -> list[tuple[str, str]]:
    """The titles and links of the results shown."""
    page.wait_for_timeout(400)
    found: list[tuple[str, str]] = page.eval_on_selector_all(
        ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link",
        "links => links.map(a => [a.textContent.trim(), a.href])",
    )
    return found


def test_a_word_of_the_seed_article_finds_it(browser: Any, example_site: str) -> None:
    page, elsewhere = open_page(browser, example_site + "search/index.html", 1280, "light")
    search_for(page, "DeepSeek")
    found = results(page)
    assert [title for title, _ in found] == [
        "Chinese envoy emphasizes AI cooperation following DeepSeek debate"
    ]
    page.goto(found[0][1])
    assert page.locator("h1").inner_text().startswith("Chinese envoy emphasizes")
    assert found[0][1].startswith(example_site + "articles/")
    page.close()
    assert elsewhere == []


def test_commentary_is_searchable_and_chrome_is_not(browser: Any, sample_site: str) -> None:
    page, elsewhere = open_page(browser, sample_site + "search/index.html", 375, "dark")
    search_for(page, "licences")  # only in the commentary of the café article
    assert [link for _, link in results(page)] == [
        sample_site + "articles/cafe-culture-paris/"  # clean link (links: clean)
    ]
    page.fill(".pagefind-ui__search-input", "Lima")  # the editor Ana Lima's byline is left out
    page.wait_for_selector(".pagefind-ui__message:has-text('No results')", timeout=10000)
    page.close()
    assert elsewhere == []


def test_the_topic_filter_narrows_results(browser: Any, sample_site: str) -> None:
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, "light")
    search_for(page, "said")
    everything = {link.rsplit("/", 2)[-2] for _, link in results(page)}
    assert everything == {"fed-holds-rates", "seoul-ai-summit"}
    page.locator("summary", has_text="Topic").click()
    page.get_by_label("Technology").check()
    narrowed = {link.rsplit("/", 2)[-2] for _, link in results(page)}
    assert narrowed == {"seoul-ai-summit"}
    page.close()


def test_search_page_says_it_needs_javascript(example_site: str) -> None:
    with urllib.request.urlopen(example_site + "search/index.html") as response:
        html = response.read().decode("utf-8")
    assert "<noscript>" in html
    assert "Search needs JavaScript" in html
