"""Notes sit beside their passage on wide screens without moving the text, after it on narrow.

The example article has four notes; a second site puts four notes, one of them long, on
neighbouring paragraphs, so that they must stack in the margin.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from generator.cli import main

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

# The vertical gap between each pair of consecutive body paragraphs, and whether the first
# of the pair carries a note.
GAPS = """() => {
  const paragraphs = [...document.querySelectorAll('.body p')].filter(p => !p.closest('aside'));
  return paragraphs.slice(1).map((p, i) => ({
    gap: p.getBoundingClientRect().top - paragraphs[i].getBoundingClientRect().bottom,
    noted: paragraphs[i].closest('.annotated') !== null,
  }));
}"""

WORDS = "The committee met on Tuesday to weigh the proposal for a new regional rail link."
LONG_NOTE = " ".join(["This note runs long, to test that the next notes stack below it."] * 6)


def _measure(browser: Any, url: str, width: int, script: str) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    page.wait_for_selector(".body")
    found = page.evaluate(script)
    page.close()
    return found


def _notes(browser: Any, url: str, width: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _measure(browser, url, width, MEASURE)
    return found


@pytest.fixture(scope="module")
def crowded_article(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new site with one article whose notes crowd neighbouring paragraphs; its page URL."""
    site = tmp_path_factory.mktemp("crowded") / "site"
    assert main(["new", "site", str(site)]) == 0
    paragraphs = [f"Paragraph {n}. {WORDS} {WORDS}" for n in range(1, 9)]
    (site / "content" / "articles" / "rail.md").write_text(
        "---\ntitle: Rail link\ndate: 2026-11-20\noutlet: The Courier\n---\n\n"
        + "\n\n".join(paragraphs)
        + "\n",
        encoding="utf-8",
    )
    notes = [(1, LONG_NOTE), (2, "Short."), (3, "Short too."), (5, "Last one.")]
    entries = "".join(f'  - quote: "Paragraph {n}."\n    note: "{text}"\n' for n, text in notes)
    (site / "content" / "commentary" / "rail.md").write_text(
        f"---\nby: editor\ncreated: 2026-11-20\nnotes:\n{entries}---\n", encoding="utf-8"
    )
    output = site / "output"
    assert main(["build", "--site", str(site)]) == 0
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/articles/rail/"
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def _assert_beside_and_apart(notes: list[dict[str, Any]]) -> None:
    for note in notes:
        _text_left, text_right, text_top, _text_bottom = note["text"]
        left, _right, top, _bottom = note["note"]
        assert note["visible"], note["id"]
        assert left >= text_right + 16, note  # in the margin, right of the text
        assert top >= text_top - 1, note  # never above its paragraph
        assert note["mark"] is not None, note  # its passage is marked
    ordered = sorted(notes, key=lambda n: n["note"][2])
    for above, below in itertools.pairwise(ordered):
        assert below["note"][2] >= above["note"][3], (above, below)  # stacked, not overlapping


def _assert_even_gaps(gaps: list[dict[str, Any]]) -> None:
    plain = [g["gap"] for g in gaps if not g["noted"]]
    noted = [g["gap"] for g in gaps if g["noted"]]
    assert plain and noted, gaps
    assert max(noted) <= min(plain) + 3, gaps  # a note never pushes the next paragraph down


def test_notes_sit_in_the_margin_at_1280px(browser: Any, example_site: str) -> None:
    notes = _notes(browser, example_site + ARTICLE, 1280)
    assert len(notes) == 4
    _assert_beside_and_apart(notes)
    for note in notes:
        _text_left, _text_right, _text_top, text_bottom = note["text"]
        assert note["note"][2] <= text_bottom, note  # level with its paragraph


def test_notes_do_not_move_the_text_at_1280px(browser: Any, example_site: str) -> None:
    _assert_even_gaps(_measure(browser, example_site + ARTICLE, 1280, GAPS))


def test_notes_of_neighbouring_paragraphs_stack(browser: Any, crowded_article: str) -> None:
    notes = _notes(browser, crowded_article, 1280)
    assert len(notes) == 4
    _assert_beside_and_apart(notes)
    _assert_even_gaps(_measure(browser, crowded_article, 1280, GAPS))
    # The long first note pushes the second below its own paragraph's top: stacked.
    assert notes[1]["note"][2] > notes[1]["text"][2] + 1


WIDTHS = """() => {
  const wrap = document.querySelector('main').getBoundingClientRect();
  const text = document.querySelector('.annotated-text').getBoundingClientRect();
  const note = document.querySelector('aside.note').getBoundingClientRect();
  return {wrap: wrap.width, used: note.right - text.left, note: note.width};
}"""


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_wide_layout_uses_the_width_it_has(
    browser: Any, crowded_article: str, width: int
) -> None:
    found = _measure(browser, crowded_article, width, WIDTHS)
    assert found["used"] >= 0.85 * found["wrap"], found  # text and notes fill the page
    assert found["note"] >= 320, found  # notes wider than the old 20rem column


def test_notes_follow_their_paragraph_at_400px(browser: Any, example_site: str) -> None:
    notes = _notes(browser, example_site + ARTICLE, 400)
    assert len(notes) == 4
    for note in notes:
        text_left, _text_right, _text_top, text_bottom = note["text"]
        left, right, top, _bottom = note["note"]
        assert note["visible"], note["id"]
        assert top >= text_bottom - 1, note  # below the paragraph
        assert abs(left - text_left) <= 2, note  # in the same column
        assert right <= 400, note
