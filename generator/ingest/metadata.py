"""HTML page metadata: JSON-LD, OpenGraph and meta tags, canonical link, <h1>."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import html as lxml_html  # type: ignore[import-untyped]

from generator.ingest.bylines import byline_names, looks_like_name
from generator.ingest.dates import find_date, parse_iso
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
_BY_PREFIX = re.compile(r"^\s*(?:(?:written|posted|reported)\s+)?by\s*:?\s+", re.I)
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
        published=_published(tree, ld, metas),
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
            candidates.append(declared_names(value))
    candidates.append(_element_names(tree, '//*[@itemprop="author"]'))
    candidates.append(_element_names(tree, '//a[@rel="author"]'))
    candidates.append(_element_names(tree, _BYLINE_XPATH))
    site_key = _key(site)
    for names in candidates:
        kept = tuple(n for n in names if _key(n) != site_key)
        if kept:
            return kept
    return ()


_BYLINE_XPATH = (
    '//*[contains(@class, "byline") or contains(@class, "author-name")'
    ' or contains(@class, "article-author")][not(ancestor::footer)]'
)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold().removeprefix("the "))


def _element_names(tree: lxml_html.HtmlElement, xpath: str) -> tuple[str, ...]:
    names: list[str] = []
    for element in tree.xpath(xpath)[:6]:
        inner = element.xpath('.//*[@itemprop="name"]')
        node = inner[0] if inner else element
        content = node.get("content") if node.tag == "meta" else None
        text = " ".join((content or node.text_content()).split())
        if text and len(text) <= 80:
            by = re.match(r"(?i)by\b", text)
            names.extend(byline_names(text) if by else declared_names(text))
    return tuple(dict.fromkeys(names))


def declared_names(value: str) -> tuple[str, ...]:
    """Names from a declared author field: "By X and Y", "X, Staff Writer", "X; Y"."""
    value = _BY_PREFIX.sub("", " ".join(value.split()))
    out: list[str] = []
    for part in re.split(r"\s*(?:;|\||\band\b|&)\s*", value):
        segments = [seg.strip(" .") for seg in part.split(",") if seg.strip(" .")]
        for index, segment in enumerate(segments):
            if index == 0 or looks_like_name(segment):
                out.append(segment)
    return tuple(dict.fromkeys(n for n in out if n and "://" not in n and len(n) <= 60))


def _ld_authors(ld: list[dict[str, Any]]) -> tuple[str, ...]:
    nodes = {str(n["@id"]): n for item in ld for n in _walk(item) if isinstance(n.get("@id"), str)}
    for item in ld:
        authors = item.get("author") or item.get("creator")
        if isinstance(authors, dict | str):
            authors = [authors]
        names: list[str] = []
        for author in authors if isinstance(authors, list) else []:
            if isinstance(author, dict) and "name" not in author and author.get("@id") in nodes:
                author = nodes[str(author["@id"])]
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip() and "://" not in name:
                names.extend(declared_names(name))
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _published(
    tree: lxml_html.HtmlElement, ld: list[dict[str, Any]], metas: dict[str, str]
) -> dt.date | None:
    declared = [v for i in ld for v in (i.get("datePublished"), i.get("dateCreated")) if v]
    declared += [metas[k] for k in _DATE_KEYS if metas.get(k)]
    shown = _shown_dates(tree)
    for value in declared:
        day = parse_iso(value) if isinstance(value, str) else None
        if day is None:
            continue
        if _UTC.search(str(value)):  # a UTC time stamp: prefer the day the page shows next to it
            near = [d for d in shown if abs((d - day).days) == 1]
            return near[0] if near and day not in shown else day
        return day
    return shown[0] if shown else None


_UTC = re.compile(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)?$")


def _shown_dates(tree: lxml_html.HtmlElement) -> list[dt.date]:
    """Dates printed in <time> elements and date-like header elements."""
    found: list[dt.date] = []
    xpath = '//time | //*[contains(@class, "date") or contains(@class, "timestamp")][not(*[3])]'
    for element in tree.xpath(xpath)[:12]:
        day = find_date(" ".join(element.text_content().split())[:120])
        if day and day not in found:
            found.append(day)
    return found


def _canonical(tree: lxml_html.HtmlElement) -> str:
    links = tree.xpath('//link[@rel="canonical"]/@href')
    return str(links[0]) if links else ""
