"""The example article's notes sit beside their passage on wide screens, after it on narrow."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "articles/chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate/index.html"

MEASURE = """() => [...document.querySelectorAll('.annotated')].map(block => {
  const text = block.querySelector('.annotated-text').getBoundingClientRect();
  return [...block.querySelectorAll('aside.note')].map(note => {
    const box = note.getBoundingClientRect();
    const mark = block.querySelector('mark[aria-details="' + note.id + '"]');
    const at = mark ? mark.getBoundingClientRect() : null;
    return {id: note.id, text: [text.left, text.right, text.top, text.bottom],
            note: [box.left, box.right, box.top, box.bottom],
            mark: at ? [at.top] : null, visible: box.width > 0 && box.height > 0};
  });
}).flat()"""


def _notes(browser: Any, url: str, width: int) -> list[dict[str, Any]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + ARTICLE)
    found: list[dict[str, Any]] = page.evaluate(MEASURE)
    page.close()
    return found


def test_notes_sit_in_the_margin_at_1280px(browser: Any, example_site: str) -> None:
    notes = _notes(browser, example_site, 1280)
    assert len(notes) == 4
    for note in notes:
        _text_left, text_right, text_top, text_bottom = note["text"]
        left, _right, top, _bottom = note["note"]
        assert note["visible"], note["id"]
        assert left >= text_right + 16, note  # in a column to the right of the text
        assert text_top - 1 <= top <= text_bottom, note  # level with its paragraph
        assert note["mark"] is not None, note  # its passage is marked


def test_notes_follow_their_paragraph_at_400px(browser: Any, example_site: str) -> None:
    notes = _notes(browser, example_site, 400)
    assert len(notes) == 4
    for note in notes:
        text_left, _text_right, _text_top, text_bottom = note["text"]
        left, right, top, _bottom = note["note"]
        assert note["visible"], note["id"]
        assert top >= text_bottom - 1, note  # below the paragraph
        assert abs(left - text_left) <= 2, note  # in the same column
        assert right <= 400, note
