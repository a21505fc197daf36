"""Machine-readable files: each annotated article's notes as W3C Web Annotations.

``articles/<slug>/annotations.jsonld`` is an ``AnnotationPage`` whose items
target the *original* article (its ``source_url``) with a
``TextQuoteSelector``; the overall note targets the article as a whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from generator import __version__
from generator.annotations import Annotations, PlacedNote
from generator.content import Article, Commentary, SiteConfig, markdown
from generator.render import urls
from generator.render.pages import routes as page_routes
from generator.render.taxonomy import Site

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JsonObject = dict[str, object]


@dataclass(frozen=True, slots=True)
class FileSpec:
    """A file written as is (not through a template)."""

    route: str
    data: bytes
    origin: str
    article: str = ""


def files(
    site: Site,
    pages: Sequence[str] | None = None,
    wanted: Callable[[str], bool] | None = None,
) -> Iterator[FileSpec]:
    """Every generated file that is not a templated page, in a stable order.

    ``pages`` is :func:`~generator.render.pages.routes` of ``site``, if already known (the
    sitemap lists them); with ``wanted``, only the articles whose page route it accepts get
    their annotation page made (the other site-wide files always are).
    """
    by_slug = {article.slug: article for article in site.articles}
    for slug in sorted(site.annotations):
        if wanted is not None and not wanted(urls.article(slug)):
            continue
        page = annotation_page(site.config, by_slug[slug], site.annotations[slug])
        text = json.dumps(page, ensure_ascii=False, indent=2) + "\n"
        source = site.annotations[slug].commentary.source
        yield FileSpec(urls.annotation_page(slug), text.encode("utf-8"), source, slug)
    for route, data in sitemaps(site, pages):
        yield FileSpec(route, data, "sitemap")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"
    yield FileSpec("robots.txt", robots.encode("utf-8"), "robots")
    if site.config.domain:
        yield FileSpec("CNAME", f"{site.config.domain}\n".encode(), "site.yaml")


def routes(site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """The routes :func:`files` writes, without making the files (``pages`` as there)."""
    found = [urls.annotation_page(slug) for slug in sorted(site.annotations)]
    found += [route for route, _ in sitemaps(site, pages)]
    found += ["robots.txt"]
    return found + (["CNAME"] if site.config.domain else [])


# The sitemaps.org protocol 0.9 allows at most 50,000 URLs (and 50 MB) in one sitemap file;
# a larger site gets a sitemap index (https://www.sitemaps.org/protocol.html#index).
SITEMAP_URLS = 50_000
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemaps(
    site: Site, pages: Sequence[str] | None = None, limit: int = SITEMAP_URLS
) -> tuple[tuple[str, bytes], ...]:
    """The sitemap files as (route, UTF-8 bytes): ``sitemap.xml`` listing the public
    address of every HTML page but the 404 page; above ``limit`` pages, ``sitemap.xml`` is
    a sitemap index of ``sitemap-1.xml``, ``sitemap-2.xml``, … of ``limit`` pages each.

    ``pages``: the site's page routes, if known.  The last few results are remembered, so
    a preview rebuild that added or removed no page does not make them again.
    """
    found = page_routes(site) if pages is None else pages
    listed = tuple(r for r in found if r == "" or r[-1] == "/")
    return _sitemaps(site.config.base_url, listed, limit)


@functools.lru_cache(maxsize=2)
def _sitemaps(base_url: str, pages: tuple[str, ...], limit: int) -> tuple[tuple[str, bytes], ...]:
    if len(pages) <= limit:
        return (("sitemap.xml", _urlset(base_url, pages)),)
    parts = tuple(
        (f"sitemap-{number}.xml", _urlset(base_url, pages[start : start + limit]))
        for number, start in enumerate(range(0, len(pages), limit), start=1)
    )
    entries = "".join(
        f"  <sitemap><loc>{escape(urls.absolute(base_url, route))}</loc></sitemap>\n"
        for route, _ in parts
    )
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{_SITEMAP_NS}">\n{entries}</sitemapindex>\n'
    ).encode()
    return (("sitemap.xml", index), *parts)


def _urlset(base_url: str, pages: tuple[str, ...]) -> bytes:
    entries = "".join(
        f"  <url><loc>{escape(urls.absolute(base_url, route))}</loc></url>\n" for route in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{_SITEMAP_NS}">\n{entries}</urlset>\n'
    ).encode()


def annotation_page(config: SiteConfig, article: Article, notes: Annotations) -> JsonObject:
    """The W3C ``AnnotationPage`` of one article's commentary."""
    page_id = urls.absolute(config.base_url, urls.annotation_page(article.slug))
    items = [_overall(config, article, notes.commentary, page_id)]
    items += [_note(config, article, notes.commentary, placed, page_id) for placed in notes.notes]
    return {
        "@context": CONTEXT,
        "id": page_id,
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": items,
    }


def _source(config: SiteConfig, article: Article) -> str:
    return article.source_url or urls.absolute(config.base_url, urls.article(article.slug))


def _common(config: SiteConfig, commentary: Commentary, by: str, motivation: str) -> JsonObject:
    common: JsonObject = {
        "type": "Annotation",
        "motivation": motivation,
        "creator": {
            "type": "Person",
            "name": config.editor_name(by),
        },
        "created": _utc(commentary.created),
        "generator": {"type": "Software", "name": f"digest {__version__}"},
    }
    if commentary.modified is not None:
        common["modified"] = _utc(commentary.modified)
    return common


def _overall(
    config: SiteConfig, article: Article, commentary: Commentary, page_id: str
) -> JsonObject:
    bodies = [_body(config, commentary.body)] if commentary.body else []
    if commentary.why_it_matters:
        why = _body(config, commentary.why_it_matters)
        why["purpose"] = "describing"
        bodies.append(why)
    item = {"id": f"{page_id}#overall", **_common(config, commentary, commentary.by, "commenting")}
    if bodies:
        item["body"] = bodies
    item["target"] = _source(config, article)
    return item


def _note(
    config: SiteConfig,
    article: Article,
    commentary: Commentary,
    placed: PlacedNote,
    page_id: str,
) -> JsonObject:
    note, found = placed.note, placed.anchor
    motivation = note.motivation.w3c
    item = {"id": f"{page_id}#{note.id}", **_common(config, commentary, note.by, motivation)}
    if note.body:
        item["body"] = _body(config, note.body)
    exact = found.exact if found.status.anchored else note.quote or f"{note.start} … {note.end}"
    selector: JsonObject = {"type": "TextQuoteSelector", "exact": _nfc(exact)}
    prefix = found.prefix if found.status.anchored else note.prefix
    suffix = found.suffix if found.status.anchored else note.suffix
    if prefix:
        selector["prefix"] = _nfc(prefix)
    if suffix:
        selector["suffix"] = _nfc(suffix)
    item["target"] = {"source": _source(config, article), "selector": selector}
    return item


def _nfc(text: str) -> str:
    """Selector text in Unicode NFC, as W3C recommends for exchanged text."""
    return unicodedata.normalize("NFC", text)


def _body(config: SiteConfig, text: str) -> JsonObject:
    return {
        "type": "TextualBody",
        "value": markdown.render_note(text, "annotation").strip(),
        "format": "text/html",
        "language": config.language,
    }


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
