"""HTML page metadata: JSON-LD, OpenGraph and meta tags, canonical link, <h1>."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import html as lxml_html  # type: ignore[import-untyped]

from generator.ingest.bylines import split_names
from generator.ingest.dates import parse_iso
from generator.ingest.result import PageMeta

_ARTICLE_TYPES = re.compile(r"article|posting|report|story|webpage|newsarticle", re.I)
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
)


def page_meta(tree: lxml_html.HtmlElement) -> PageMeta:
    """Metadata declared by the page itself."""
    metas = _meta_tags(tree)
    ld = list(_jsonld_articles(tree))
    site = _first(
        _ld_publisher(ld), metas.get("og:site_name", ""), metas.get("application-name", "")
    )
    return PageMeta(
        title=_title(tree, ld, metas, site),
        authors=_authors(tree, ld, metas, site),
        outlet=site,
        published=_published(ld, metas),
        source_url=_first(_canonical(tree), metas.get("og:url", "")),
    )


def _first(*values: str) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").casefold()
        value = meta.get("content") or ""
        if key and value.strip() and key not in found:
            found[key] = " ".join(value.split())
    return found


def _jsonld_articles(tree: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for item in _walk(data):
            kind = item.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                yield item


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def _ld_publisher(ld: list[dict[str, Any]]) -> str:
    for item in ld:
        publisher = item.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return str(publisher["name"])
    return ""


def _title(
    tree: lxml_html.HtmlElement, ld: list[dict[str, Any]], metas: dict[str, str], site: str
) -> str:
    h1s = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    declared = [str(i["headline"]) for i in ld if isinstance(i.get("headline"), str)]
    declared += [metas.get("og:title", ""), metas.get("twitter:title", "")]
    declared = [_strip_site(d, site) for d in declared if d]
    for h1 in h1s:
        if h1 and any(_overlap(h1, d) >= 0.6 for d in declared):
            return h1
    if declared:
        return declared[0]
    if h1s and h1s[0]:
        return h1s[0]
    titles = tree.xpath("//title/text()")
    return _strip_site(" ".join(str(titles[0]).split()), site) if titles else ""


def _strip_site(title: str, site: str) -> str:
    parts = re.split(r"\s+[|\-–—:·•]\s+", title)
    if len(parts) > 1 and (not site or _overlap(parts[-1], site) > 0.5 or len(parts[-1]) < 25):
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


def _overlap(a: str, b: str) -> float:
    ta, tb = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(ta & tb) / max(1, min(len(ta), len(tb))) if ta and tb else 0.0


def _authors(
    tree: lxml_html.HtmlElement, ld: list[dict[str, Any]], metas: dict[str, str], site: str
) -> tuple[str, ...]:
    candidates: list[tuple[str, ...]] = [_ld_authors(ld)]
    for key in _AUTHOR_KEYS:
        value = metas.get(key, "")
        if value and "://" not in value:
            candidates.append(split_names(value))
    rel = [" ".join(a.text_content().split()) for a in tree.xpath('//a[@rel="author"]')]
    candidates.append(tuple(dict.fromkeys(n for r in rel for n in split_names(r))))
    for names in candidates:
        kept = tuple(n for n in names if not site or _overlap(n, site) < 0.6)
        if kept:
            return kept
    return ()


def _ld_authors(ld: list[dict[str, Any]]) -> tuple[str, ...]:
    for item in ld:
        authors = item.get("author") or item.get("creator")
        if isinstance(authors, dict | str):
            authors = [authors]
        names: list[str] = []
        for author in authors if isinstance(authors, list) else []:
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip() and "://" not in name:
                names.extend(split_names(name) or (name.strip(),))
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _published(ld: list[dict[str, Any]], metas: dict[str, str]) -> dt.date | None:
    for item in ld:
        value = item.get("datePublished") or item.get("dateCreated")
        if isinstance(value, str):
            day = parse_iso(value)
            if day:
                return day
    for key in _DATE_KEYS:
        if metas.get(key):
            day = parse_iso(metas[key])
            if day:
                return day
    return None


def _canonical(tree: lxml_html.HtmlElement) -> str:
    links = tree.xpath('//link[@rel="canonical"]/@href')
    return str(links[0]) if links else ""
