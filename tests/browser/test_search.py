"""Search in Chromium: our interface over Pagefind's index, from the static files, under a
subpath too.

The example site (served under ``/digest/``) finds its seed article by a word of
its body; the sample site, served under a deeper path, finds words of the
commentary, and its topic filter narrows the results.  A site whose outlet, tag and
topic title are markup shows them as text and runs none of it.  The sample and the
hostile site are also built with their index split into several parts (a part size of
two records), which must not change what a search shows.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.publish import PART_SIZE
from tests.browser.test_accessibility import open_page, search_for
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser

SUBPATH = "some/sub/path"
HOSTILE = "<img src=x onerror=alert(document.domain)>"
HOSTILE_TOPIC = '<svg onload=alert(1)><script>alert("t")</script>'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def _serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module", params=[PART_SIZE, 2], ids=["one-part", "parts"])
def sample_site(tmp_path_factory: pytest.TempPathFactory, request: Any) -> Iterator[str]:
    """The sample site built (its index in one part, then in several) and served under
    ``/some/sub/path/``; yields its URL."""
    root = tmp_path_factory.mktemp("sample")
    build(SAMPLE, root / SUBPATH, search_part_size=request.param)
    yield from _serve(root)


@pytest.fixture(scope="module", params=[PART_SIZE, 2], ids=["one-part", "parts"])
def hostile_site(tmp_path_factory: pytest.TempPathFactory, request: Any) -> Iterator[str]:
    """The sample site with markup as an outlet, a tag and a topic title (its index in one
    part, then in several); yields its URL."""
    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    shutil.copytree(SAMPLE, site)
    article = site / "content" / "articles" / "tokyo-rail.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("outlet: NHK World", f'outlet: "{HOSTILE}"')
    text = text.replace("tags: [Japan, transport]", f'tags: [Japan, "{HOSTILE}"]')
    article.write_text(text, encoding="utf-8")
    topics = site / "content" / "topics.yaml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("title: Economy", f"title: '{HOSTILE_TOPIC}'"),
        encoding="utf-8",
    )
    build(site, root / "out" / SUBPATH, search_part_size=request.param)
    yield from _serve(root / "out")


def results(page: Any) -> list[tuple[str, str, str]]:
    """The title, link and part (article text or editors' notes) of each result shown."""
    found: list[tuple[str, str, str]] = page.eval_on_selector_all(
        ".search-result",
        """items => items.map(li => [
          li.querySelector(".search-result-title a").textContent.trim(),
          li.querySelector(".search-result-title a").href,
          (li.querySelector(".search-result-part") || {textContent: ""}).textContent.trim(),
        ])""",
    )
    return found


def wait_for_results(page: Any, count: int) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.search-result').length === {count}", timeout=30000
    )


def test_a_word_of_the_seed_article_finds_it(browser: Any, example_site: str) -> None:
    """Under the page's own Content-Security-Policy (no test script added to the page)."""
    url = example_site + "search/index.html"
    page, elsewhere = open_page(browser, url, 1280, "light", bypass_csp=False)
    page.fill("#search-input", "DeepSeek")
    first = page.locator(".search-result").first
    first.wait_for(timeout=30000)
    link = first.locator(".search-result-title a")
    assert link.inner_text() == "Chinese envoy emphasizes AI cooperation following DeepSeek debate"
    assert first.locator(".search-result-part").text_content() == "Article text"
    href = link.get_attribute("href") or ""
    assert href.startswith(example_site + "articles/")
    link.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text().startswith("Chinese envoy emphasizes")
    page.close()
    assert elsewhere == []


def test_commentary_is_searchable_and_labelled_as_notes(browser: Any, sample_site: str) -> None:
    page, elsewhere = open_page(browser, sample_site + "search/index.html", 375, "dark")
    search_for(page, "licences")  # only in the commentary of the café article
    notes = sample_site + "articles/cafe-culture-paris/#commentary-heading"  # links: clean
    assert [(link, part) for _, link, part in results(page)] == [(notes, "Editors’ notes")]
    search_for(page, "Shimbashi")  # only in the text of the rail article
    assert [part for _, _, part in results(page)] == ["Article text"]
    page.fill("#search-input", "Lima")  # the editor Ana Lima's byline is left out
    page.wait_for_selector("#search-status:has-text('No results')", timeout=30000)
    page.close()
    assert elsewhere == []


def test_excerpts_mark_the_words_found(browser: Any, sample_site: str) -> None:
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, "light")
    search_for(page, "Shimbashi")
    marks = page.eval_on_selector_all(".search-excerpt mark", "ms => ms.map(m => m.textContent)")
    assert marks == ["Shimbashi"]
    page.close()


def test_the_topic_filter_narrows_results(browser: Any, sample_site: str) -> None:
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, "light")
    search_for(page, "said")
    everything = {link.rsplit("/", 2)[-2] for _, link, _ in results(page)}
    assert everything == {"fed-holds-rates", "seoul-ai-summit"}
    page.locator("summary", has_text="Topic").click()
    page.get_by_label("Technology").check()
    page.wait_for_function(
        "[...document.querySelectorAll('.search-result a')].every(a => a.href.includes('seoul'))",
        timeout=30000,
    )
    narrowed = {link.rsplit("/", 2)[-2] for _, link, _ in results(page)}
    assert narrowed == {"seoul-ai-summit"}
    page.close()


def test_a_query_in_the_address_searches_on_load(browser: Any, sample_site: str) -> None:
    page, _ = open_page(browser, sample_site + "search/index.html?q=licences", 1280, "light")
    wait_for_results(page, 1)
    assert page.input_value("#search-input") == "licences"
    assert "café culture" in results(page)[0][0]
    page.close()


def test_markup_in_outlets_tags_and_topics_stays_text(browser: Any, hostile_site: str) -> None:
    page, elsewhere = open_page(browser, hostile_site + "search/index.html", 1280, "light")
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    search_for(page, "Shimbashi")
    for summary in ("Topic", "Tag", "Outlet"):
        page.locator("summary", has_text=summary).click()
    labels = page.eval_on_selector_all(
        ".search-filter-values label", "ls => ls.map(l => l.firstChild.textContent)"
    )
    assert HOSTILE in labels  # as the tag and as the outlet
    assert labels.count(HOSTILE) == 2
    assert HOSTILE_TOPIC in labels
    search_for(page, "said")  # results carrying the hostile topic
    injected = page.evaluate(
        "document.querySelectorAll('#search img, #search svg, #search script').length"
    )
    assert injected == 0
    assert dialogs == []
    assert re.search(r"onerror", page.inner_html("#search-filters"))  # escaped, as text
    page.close()
    assert elsewhere == []


def test_opened_from_disk_it_says_search_needs_a_server(browser: Any, tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "out")
    page = browser.new_page()
    page.goto((tmp_path / "out" / "search" / "index.html").as_uri())
    page.wait_for_selector("#search-status:has-text('needs a web server')", timeout=30000)
    assert "digest serve" in page.inner_text("#search-status")
    assert not page.is_visible("#search-form")
    page.close()


CONTRAST = """() => {
  const input = document.getElementById("search-input");
  const rgba = text => {
    const [r, g, b, a] = text.match(/[\\d.]+/g).map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  const lum = ([r, g, b]) => {
    const c = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };
  const seen = getComputedStyle(input, "::placeholder");
  const back = rgba(getComputedStyle(input).backgroundColor);
  const front = rgba(seen.color);
  const alpha = front[3] * Number(seen.opacity);
  const shown = [0, 1, 2].map(i => alpha * front[i] + (1 - alpha) * back[i]);
  const [fg, bg] = [lum(shown), lum(back)];
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_placeholder_meets_contrast(browser: Any, sample_site: str, scheme: str) -> None:
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, scheme)
    page.locator("#search-input").wait_for(timeout=30000)
    assert page.evaluate(CONTRAST) >= 4.5  # WCAG 1.4.3, normal text
    page.close()


def test_search_page_says_it_needs_javascript(example_site: str) -> None:
    with urllib.request.urlopen(example_site + "search/index.html") as response:
        html = response.read().decode("utf-8")
    assert "<noscript>" in html
    assert "Search needs JavaScript" in html


def test_a_repeated_search_never_empties_the_results_shown(browser: Any, sample_site: str) -> None:
    """A second search (here the same words submitted again, as when the index finishes
    loading while the typed words wait for their turn) replaces the results in one step:
    a reader, or a test, never sees the list empty between two searches."""
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, "light")
    search_for(page, "Shimbashi")
    page.evaluate(
        """() => {
          const list = document.getElementById("search-results");
          window.seen = [];
          new MutationObserver(() => window.seen.push(list.children.length))
            .observe(list, { childList: true });
        }"""
    )
    page.press("#search-input", "Enter")
    page.wait_for_function("() => window.seen.length > 0", timeout=30000)
    assert 0 not in page.evaluate("() => window.seen")
    marks = page.eval_on_selector_all(".search-excerpt mark", "ms => ms.map(m => m.textContent)")
    assert marks == ["Shimbashi"]
    page.close()


def test_the_status_line_counts_the_results_shown(browser: Any, sample_site: str) -> None:
    """The count of a new search is said when its results are in place, never over the
    results of the search before (a reader, or a test, would take those for its results)."""
    page, _ = open_page(browser, sample_site + "search/index.html", 1280, "light")
    search_for(page, "licences")  # only in the commentary of the café article
    page.evaluate(
        """() => {
          const status = document.getElementById("search-status");
          const list = document.getElementById("search-results");
          window.said = [];
          new MutationObserver(() => window.said.push([status.textContent,
              [...list.querySelectorAll(".search-result-title a")].map(a => a.href)]))
            .observe(status, { childList: true, characterData: true, subtree: true });
        }"""
    )
    search_for(page, "Shimbashi")  # only in the text of the rail article
    said = page.evaluate("() => window.said")
    assert said, "the status line never changed"
    for status, links in said:
        if "Shimbashi" in status:
            assert [link.rsplit("/", 2)[-2] for link in links] == ["tokyo-rail"], status
    page.close()
