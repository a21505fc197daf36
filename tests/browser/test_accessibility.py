"""axe-core in Chromium: zero violations on every kind of page, wide and narrow, light and dark.

The example site is built (with its search index) and served on 127.0.0.1;
axe-core comes from npm (``package.json``; ``make test`` runs ``npm ci``).
No page may request another host.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"
PAGES = {
    "home": "index.html",
    "article": f"articles/{SLUG}/index.html",
    "tag": "tags/china/index.html",
    "tags": "tags/index.html",
    "topic": "topics/ai-policy/index.html",
    "topics": "topics/index.html",
    "archive": "archive/index.html",
    "month": "archive/2026/11/index.html",
    "search": "search/index.html",
    "404": "404.html",
}
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                    "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => [n.target.join(" "), n.failureSummary]),
  }));
}"""


def axe_source() -> Path:
    """axe-core's script; skip (or fail in CI) when ``npm ci`` has not installed it."""
    if AXE.is_file():
        return AXE
    message = f"{AXE} is missing; run `npm ci --no-audit --no-fund` (make test does)"
    if os.environ.get("DIGEST_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def open_page(
    browser: Any, url: str, width: int, scheme: str, bypass_csp: bool = True
) -> tuple[Any, list[str]]:
    """A page at ``url``; the second value collects requests to hosts other than ours.

    The search page's Content-Security-Policy would refuse the scripts the tests add
    (axe-core, waits); it is bypassed unless ``bypass_csp`` is false, so what a test
    shows holds without the policy's help.
    """
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    page.emulate_media(color_scheme=scheme)
    ours = urlsplit(url).netloc
    elsewhere: list[str] = []

    def note(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.netloc != ours:
            elsewhere.append(request.url)

    page.on("request", note)
    page.goto(url)
    return page, elsewhere


def violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe_source()))
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_axe_violations(
    browser: Any, example_site: str, kind: str, width: int, scheme: str
) -> None:
    axe_source()
    page, elsewhere = open_page(browser, example_site + PAGES[kind], width, scheme)
    if kind == "search":
        search_for(page, "ambassador")
    found = violations(page)
    page.close()
    assert found == [], json.dumps(found, indent=1)
    assert elsewhere == []


def search_for(page: Any, words: str) -> None:
    """Type into the search box and wait until the results for ``words`` are shown."""
    box = page.wait_for_selector("#search-input", timeout=30000)
    box.fill(words)
    page.wait_for_function(
        """words => {
          const said = document.getElementById("search-status").textContent;
          return said.includes(words) && document.querySelectorAll(".search-result").length
            + (said.startsWith("No results") ? 1 : 0) > 0;
        }""",
        arg=words,
        timeout=30000,
    )
