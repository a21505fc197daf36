"""What search indexes: each article page's text and its editors' notes, as plain records.

Part of the views stage.  The records come from the article page's view model (what
the page shows, so ``reproduce: excerpt`` articles are indexed as published, never in
full), not from the written HTML, so nothing is parsed twice.  Each article gives up
to two records: its text (title included) and, when it has commentary, the editors'
notes on it, so a result says which of the two the words were found in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.render import urls
from generator.render.models import ArticleView, NoteView, PageSpec

TEXT = "text"
NOTES = "notes"
NOTES_FRAGMENT = "commentary-heading"  # the editors' note section of an article page

_NOTE_REFS = re.compile(r"<sup\b[^>]*>.*?</sup>", re.S)  # the note numbers in the text
_BREAKS = re.compile(r"<(?:/p|/li|/h[1-6]|/blockquote|/pre|/tr|/td|/th|br\s*/?)>", re.I)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One searchable part of an article page.

    ``url`` is the page's link from the site's root (``articles/<slug>/``,
    with ``#commentary-heading`` for notes); ``part`` is ``"text"`` or ``"notes"``;
    ``content`` is plain text; ``filters`` maps ``topic``, ``tag`` and ``outlet`` to
    their display names.  Every string is plain text, never markup.
    """

    url: str
    title: str
    part: str
    content: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]


def search_records(spec: PageSpec, *, files: bool = False) -> Iterator[SearchRecord]:
    """The records of an article page (nothing for other pages), linked in the site's link
    style (``files``: ``articles/<slug>/index.html``, else ``articles/<slug>/``)."""
    view = spec.page
    if not isinstance(view, ArticleView):
        return
    url = urls.href(urls.home(), spec.route, files=files)
    filters = (
        ("topic", tuple(link.text for link in view.topics)),
        ("tag", tuple(link.text for link in view.tags)),
        ("outlet", (view.outlet,) if view.outlet else ()),
    )
    kept = tuple((key, values) for key, values in filters if values)
    text = " ".join([view.title, *(plain_text(block.html) for block in view.blocks)])
    yield SearchRecord(url, view.title, TEXT, _squeeze(text), kept)
    notes = _notes_text(view)
    if notes:
        yield SearchRecord(f"{url}#{NOTES_FRAGMENT}", view.title, NOTES, notes, kept)


def _notes_text(view: ArticleView) -> str:
    if view.commentary is None:
        return ""
    commentary = view.commentary
    notes: list[NoteView] = [n for block in view.blocks for n in block.notes]
    notes += view.unanchored
    parts = [commentary.why_it_matters, plain_text(commentary.overall)]
    parts += [plain_text(note.body) for note in notes]
    return _squeeze(" ".join(parts))


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment that digest rendered (Markdown without raw HTML),
    without the note numbers; entities decoded, whitespace collapsed."""
    text = _TAGS.sub("", _BREAKS.sub(" ", _NOTE_REFS.sub("", fragment)))
    return _squeeze(html.unescape(text))


def _squeeze(text: str) -> str:
    # str.split() splits at exactly the characters \s matches (str.isspace), in C
    return " ".join(text.split())
