"""Clean a saved HTML page: trafilatura for the body, our own reading of its metadata."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from generator.content import Image
from generator.ingest.captions import split_credit
from generator.ingest.metadata import page_meta
from generator.ingest.result import PageMeta, RemovedLine

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(
    r"^(?:#{1,6}\s+|[-*+]\s+|>\s*|\d+[.)]\s+)|\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"
)


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """What an HTML page yields before it becomes an :class:`Extraction`."""

    meta: PageMeta
    body: str
    text: str
    images: tuple[Image, ...]
    removed: tuple[RemovedLine, ...] = ()


def parse(text: str) -> lxml_html.HtmlElement | None:
    """The page's element tree, or None when it cannot be parsed."""
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # library code never prints


def extract_html(text: str) -> HtmlArticle | None:
    """The article of an HTML page, or None when none is found."""
    tree = parse(text)
    if tree is None:
        return None
    meta = page_meta(tree)
    markdown = trafilatura.extract(
        text,
        output_format="markdown",
        include_links=True,
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if not markdown or not markdown.strip():
        return None
    body = _quote(_tidy(markdown, meta.title), tree)
    plain = to_plain(body)
    removed = _removed(tree, plain, meta.title)
    return HtmlArticle(meta, body, plain, _figure_images(tree), removed)


def _tidy(markdown: str, title: str) -> str:
    """Blank-line separated blocks, without a leading heading that repeats the title."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markdown) if p.strip()]
    folded = " ".join(title.split()).casefold()
    if paragraphs and paragraphs[0].startswith("#"):
        head = " ".join(paragraphs[0].lstrip("#").split()).casefold()
        if not folded or head == folded or head in folded or folded in head:
            paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _quote(body: str, tree: lxml_html.HtmlElement) -> str:
    """Mark as block quotes the paragraphs that stand in a ``<blockquote>`` of the page.

    trafilatura's Markdown drops the quote marker (its XML keeps it as ``<quote>``);
    the page's own tree says which paragraphs were quoted.  Table rows lose their
    trailing spaces.
    """
    quoted = {
        " ".join(p.text_content().split())
        for quote in tree.iter("blockquote")
        for p in (quote.xpath(".//p|.//li") or [quote])
    }
    quoted.discard("")
    out = []
    for block in body.split("\n\n"):
        if block.startswith("|"):
            block = "\n".join(row.rstrip() for row in block.split("\n"))
        elif quoted and not block.startswith(">") and to_plain(block) in quoted:
            block = "\n".join("> " + row for row in block.split("\n"))
        out.append(block)
    return "\n\n".join(out)


def to_plain(markdown: str) -> str:
    """Markdown body as plain text, one paragraph per line."""
    out: list[str] = []
    for line in markdown.split("\n"):
        line = _LINK.sub(r"\1", line)
        line = _MARKUP.sub("", line).replace("\\", "").strip()
        if line:
            out.append(line)
    return "\n".join(out)


_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "figcaption", "blockquote", "td", "dd", "dt")
_MAX_REMOVED = 2000


def _removed(tree: lxml_html.HtmlElement, plain: str, title: str) -> tuple[RemovedLine, ...]:
    """Visible text blocks of the page left out of the body, with their source lines."""
    kept = " ".join(plain.split())
    out: list[RemovedLine] = []
    for element in tree.iter(*_BLOCKS):
        text = " ".join(element.text_content().split())
        if not text or text in kept or _inside_block(element):
            continue
        out.append(RemovedLine(element.sourceline or 1, text[:300], _reason(element, text, title)))
        if len(out) >= _MAX_REMOVED:
            break
    return tuple(out)


def _inside_block(element: lxml_html.HtmlElement) -> bool:
    return any(parent.tag in _BLOCKS for parent in element.iterancestors())


def _reason(element: lxml_html.HtmlElement, text: str, title: str) -> str:
    if element.tag == "h1" or text == title:
        return "headline"
    if element.tag == "figcaption":
        return "photo caption"
    if re.match(r"(?i)by\s", text) and len(text) < 80:
        return "byline"
    return "page chrome"


def _figure_images(tree: lxml_html.HtmlElement) -> tuple[Image, ...]:
    images: dict[str, Image] = {}
    for figure in tree.iter("figure"):
        captions = figure.xpath(".//figcaption")
        if not captions:
            continue
        caption = " ".join(captions[0].text_content().split())
        if not caption or len(caption) > 400:
            continue
        srcs = figure.xpath(".//img/@src")
        src = str(srcs[0]) if srcs else ""
        split = split_credit(caption)
        image = Image(split[0], split[1], src) if split else Image(caption, "", src)
        images.setdefault(image.caption, image)
    return tuple(images.values())
