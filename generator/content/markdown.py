"""The one Markdown renderer: CommonMark, tables, footnotes, heading anchors.

Article bodies are scraped text, so raw HTML is never passed through: it is
shown as text.  markdown-it's link validation drops ``javascript:`` and
similar URLs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from generator.content.slugs import slugify


@functools.cache
def renderer() -> MarkdownIt:
    """The shared MarkdownIt for article bodies: headings get ``section-…`` ids."""
    md = _base()
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_id)
    return md


@functools.cache
def note_renderer() -> MarkdownIt:
    """The MarkdownIt for editors' notes: no heading ids, so nothing collides on the page."""
    return _base()


def _base() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    # With "html" off these two rules find nothing (each returns at its option check), yet
    # the block one is tried at every block and every paragraph line: not tried at all.
    md.disable(["html_block", "html_inline"])
    md.use(footnote_plugin)
    md.add_render_rule("footnote_block_open", _footnotes_open)
    return md


def _footnotes_open(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The footnotes section, with the heading that every section needs (read, not shown)."""
    return (
        '<hr class="footnotes-sep" />\n<section class="footnotes">\n'
        '<h2 class="visually-hidden">Footnotes</h2>\n<ol class="footnotes-list">\n'
    )


def _heading_id(title: str) -> str:
    return f"section-{slugify(title)}".rstrip("-")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A Markdown text as HTML, plus the plain text of each paragraph."""

    html: str
    paragraphs: tuple[str, ...]


def render(text: str) -> str:
    """Render Markdown to HTML (safe: raw HTML is escaped)."""
    html: str = renderer().render(text)
    return html


@functools.lru_cache(maxsize=4096)
def render_note(text: str, doc_id: str) -> str:
    """Render an editor's note; its footnote ids carry ``doc_id`` to stay unique.

    Remembered: a note is shown beside its article, in feeds and in the Web Annotation
    export, and rendered once for all of them (per process)."""
    html: str = note_renderer().render(text, {"docId": doc_id})
    return html


def convert(text: str) -> Rendered:
    """Parse once; return the HTML and the plain paragraphs (for summaries)."""
    md = renderer()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(_paragraphs(tokens)))


def _paragraphs(tokens: list[Token]) -> list[str]:
    paragraphs = []
    for index, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open":
            paragraphs.append("".join(_inline_text(tokens[index + 1].children or [])))
    return paragraphs


def _inline_text(children: list[Token]) -> list[str]:
    parts = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return parts
