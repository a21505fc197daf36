"""Clean a saved HTML page: trafilatura for the body, our own reading of its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from generator.ingest.captions import split_credit
from generator.ingest.metadata import page_meta
from generator.ingest.result import PageMeta
from generator.model import Image

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


def parse(text: str) -> lxml_html.HtmlElement | None:
    """The page's element tree, or None when it cannot be parsed."""
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)


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
    body = _tidy(markdown, meta.title)
    return HtmlArticle(meta, body, to_plain(body), _figure_images(tree))


def _tidy(markdown: str, title: str) -> str:
    """Blank-line separated blocks, without a leading heading that repeats the title."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markdown) if p.strip()]
    folded = " ".join(title.split()).casefold()
    if paragraphs and paragraphs[0].startswith("#"):
        head = " ".join(paragraphs[0].lstrip("#").split()).casefold()
        if not folded or head == folded or head in folded or folded in head:
            paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def to_plain(markdown: str) -> str:
    """Markdown body as plain text, one paragraph per line."""
    out: list[str] = []
    for line in markdown.split("\n"):
        line = _LINK.sub(r"\1", line)
        line = _MARKUP.sub("", line).replace("\\", "").strip()
        if line:
            out.append(line)
    return "\n".join(out)


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
