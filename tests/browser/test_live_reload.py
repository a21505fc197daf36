"""``digest serve`` in Chromium: edits appear without touching the browser, errors overlay."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.preview import running_preview

pytestmark = pytest.mark.browser

SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    copy.mkdir()
    shutil.copy(REPO / "site.yaml", copy / "site.yaml")
    for folder in ("content", "seeds", "layouts"):
        shutil.copytree(REPO / folder, copy / folder)
    return copy


def test_edit_break_and_fix_an_article_while_the_page_is_open(browser: Any, site: Path) -> None:
    article = site / "content" / "articles" / f"{SLUG}.md"
    good = article.read_text(encoding="utf-8")
    with running_preview(site) as (_preview, url, _events):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}articles/{SLUG}/")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
        page.wait_for_timeout(300)  # let the reload socket finish its handshake

        edited = good.replace("has yet to issue a statement", "has now issued a statement")
        article.write_text(edited, encoding="utf-8")
        page.wait_for_function(
            "() => document.body.innerText.includes('DeepSeek has now issued a statement')",
            timeout=10000,
        )

        article.write_text(edited.replace("title: Chinese", "title: [Chinese", 1), encoding="utf-8")
        overlay = page.locator("#digest-errors")
        overlay.wait_for(state="visible", timeout=10000)
        shown = re.search(rf"content/articles/{SLUG}\.md:(\d+):\d+: error", overlay.inner_text())
        assert shown is not None and int(shown.group(1)) in {2, 3}

        article.write_text(good, encoding="utf-8")
        overlay.wait_for(state="detached", timeout=10000)
        assert "has yet to issue a statement" in page.inner_text("main")
        assert _preview.watcher.thread.is_alive()
        page.close()
