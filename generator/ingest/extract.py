"""Raw page (path or bytes) to :class:`Extraction`: decode, sniff, clean."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from pathlib import Path

from generator.content import is_http_url
from generator.ingest import textdump
from generator.ingest.decode import decode
from generator.ingest.errors import IngestError
from generator.ingest.markdown import plain
from generator.ingest.result import Extraction

_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|meta|title|article)\b", re.I)
_NO_ARTICLE_HINT = "is this the article page itself? save the whole page, or copy its full text"


def extract_path(path: Path) -> Extraction:
    """Read and clean one saved page (``.html``/``.htm`` as HTML, else sniffed)."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError.make(
            source,
            "ingest-unreadable",
            f"cannot read the file: {error.strerror or error}",
            "check the path and its permissions",
        ) from None
    content_type = "text/html" if path.suffix.casefold() in {".html", ".htm", ".xhtml"} else ""
    return extract_bytes(data, source, content_type)


def extract_bytes(data: bytes, source: str, content_type: str = "") -> Extraction:
    """Clean a raw page given as bytes; ``content_type`` may name HTML or a charset.

    Raises :class:`IngestError` for every page that cannot be cleaned, including one
    that trips a parser (a raw page is hostile input): never a traceback.
    """
    try:
        return _extract(data, source, content_type)
    except (ValueError, RecursionError, LookupError) as error:
        raise IngestError.make(
            source,
            "ingest-failed",
            f"this page could not be cleaned: {type(error).__name__}: {error}",
            "save the page again or copy its text into a .txt file; if it persists, report it",
        ) from None


def _extract(data: bytes, source: str, content_type: str) -> Extraction:
    text = decode(data, source, content_type)
    sha = hashlib.sha256(data).hexdigest()
    if "html" in content_type.casefold() or _MARKUP.search(text[:4096]):
        return _from_html(text, source, sha)
    return _from_dump(text, source, sha)


def _from_dump(text: str, source: str, sha: str) -> Extraction:
    article = textdump.extract_dump(text)
    if article is None or not article.blocks:
        raise _no_article(source, "no article text found in this text dump")
    return Extraction(
        source=source,
        kind="text",
        title=article.title,
        authors=article.authors,
        outlet=article.outlet,
        published=article.published,
        body=article.body,
        text=plain(article.blocks),
        images=article.images,
        removed=article.removed,
        source_url=_source_url(source),
        sha256=sha,
        teaser=article.paywalled,
    )


def _from_html(text: str, source: str, sha: str) -> Extraction:
    # Imported here: trafilatura and lxml cost a quarter second that only HTML pays.
    from generator.ingest import html

    article = html.extract_html(text)
    if article is None or len(article.text.split()) < 10:
        raise _no_article(source, "no article text found in this HTML page")
    meta = article.meta
    page_url = _source_url(source) or _absolute(meta.source_url, source)
    return Extraction(
        source=source,
        kind="html",
        title=meta.title,
        authors=meta.authors,
        outlet=meta.outlet,
        published=meta.published,
        body=resolve_links(article.body, page_url),
        text=article.text,
        images=article.images,
        removed=article.removed,
        source_url=_absolute(meta.source_url, source) or _source_url(source),
        sha256=sha,
    )


# a link or image: text, destination (bare, or in <> when it holds spaces), optional title
_MD_LINK = re.compile(r"(!?\[[^\]]*\]\()(<[^<>\n]*>|[^)\s<][^)\s]*)((?:\s+\"[^\"\n]*\")?\))")


def resolve_links(markdown: str, base: str) -> str:
    """``markdown`` with relative link and image targets made absolute against ``base``.

    Targets stay as they are when ``base`` is not an http(s) URL; a target that
    resolves to another scheme (``javascript:``, ``data:``) is kept unchanged.
    """
    if not base:
        return markdown

    def absolute(match: re.Match[str]) -> str:
        bracketed = match.group(2).startswith("<")
        target = urllib.parse.urljoin(base, match.group(2)[1:-1] if bracketed else match.group(2))
        if urllib.parse.urlsplit(target).scheme not in {"http", "https", "mailto"}:
            return str(match.group(0))
        target = f"<{target}>" if bracketed else target
        return f"{match.group(1)}{target}{match.group(3)}"

    return _MD_LINK.sub(absolute, markdown)


def _absolute(url: str, source: str) -> str:
    """``url`` resolved against the page's address; '' unless it is a valid http(s) URL.

    The URL comes from the page (a canonical link, ``og:url``), so it is hostile:
    one that ``urllib`` cannot parse (``http://[bad``, a port out of range) is dropped.
    """
    if not url:
        return ""
    try:
        resolved = urllib.parse.urljoin(_source_url(source), url.strip())
    except ValueError:
        return ""
    return resolved if is_http_url(resolved) else ""


def _source_url(source: str) -> str:
    return source if source.startswith(("http://", "https://")) else ""


def _no_article(source: str, message: str) -> IngestError:
    return IngestError.make(source, "ingest-no-article", message, _NO_ARTICLE_HINT)
