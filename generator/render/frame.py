"""What the view planners share: the page filter, the body cache, the page frame, links.

Part of the render stage (with :mod:`generator.render.pages` and :mod:`generator.render.lists`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.annotations import Annotations
from generator.content import Article
from generator.render import urls
from generator.render.bodies import PreparedBody, prepare_body
from generator.render.models import (
    NO_MARKUP,
    Card,
    Chrome,
    DateText,
    FeedEntry,
    Link,
    MetaTag,
    NavItem,
)
from generator.render.taxonomy import Site

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SUMMARY_LENGTH = 220


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article with its body rendered once, for its page and its cards."""

    article: Article
    body: PreparedBody
    summary: str
    why_it_matters: str


Wanted = Callable[[str], bool]


def everything(route: str) -> bool:
    """The default page filter: every page is wanted."""
    return True


class Bodies:
    """Rendered article bodies, cached by article and notes (a serve session keeps one).

    Entries are found by slug, then checked to be of the same article and notes (by
    identity first): hashing an :class:`Article` would touch every field of it, which in
    a forked worker copies the memory it shares with the build.  A ``base`` is read
    (never added to) before a body is prepared: a worker's bodies over the build's.
    """

    def __init__(self, base: Bodies | None = None) -> None:
        self._cache: dict[str, tuple[Annotations | None, Prepared]] = {}
        self._base = base

    def get(self, site: Site, article: Article) -> Prepared:
        """The prepared body of ``article``, rendered at most once per version."""
        found = self.find(site, article)
        if found is None:
            found = prepare(site, article)
            self.add(site, found)
        return found

    def find(self, site: Site, article: Article) -> Prepared | None:
        """The prepared body of ``article`` if it is here (or in the base)."""
        entry = self._cache.get(article.slug)
        notes = site.annotations.get(article.slug)
        if entry is not None and _same(entry[1].article, article) and _same(entry[0], notes):
            return entry[1]
        return self._base.find(site, article) if self._base is not None else None

    def add(self, site: Site, prepared: Prepared) -> None:
        """Keep a body prepared elsewhere (a worker process or the build cache)."""
        slug = prepared.article.slug
        self._cache[slug] = (site.annotations.get(slug), prepared)

    def own(self) -> list[Prepared]:
        """The bodies kept here (not those of the base), in the order they were added."""
        return [prepared for _, prepared in self._cache.values()]

    def keep_only(self, site: Site) -> None:
        """Forget bodies of articles that are no longer in ``site``."""
        if len(self._cache) > len(site.articles):
            live = {a.slug for a in site.articles}
            self._cache = {k: v for k, v in self._cache.items() if k in live}


def _same(one: object, other: object) -> bool:
    return one is other or one == other


@dataclass(frozen=True, slots=True)
class Planner:
    """What every page planner needs: the site, the body cache and the page filter."""

    site: Site
    bodies: Bodies
    wanted: Wanted
    by_slug: Mapping[str, Article]
    # Views shared by many pages of this plan: list cards by (slug, folder depth of the
    # page, as their links climb that many folders), feed entries by slug.
    cards: dict[tuple[str, int], Card] = field(default_factory=dict)
    entries: dict[str, FeedEntry] = field(default_factory=dict)

    def prepared(self, slug: str) -> Prepared:
        """The prepared body of the article ``slug``."""
        return self.bodies.get(self.site, self.by_slug[slug])


def prepare(site: Site, article: Article) -> Prepared:
    """Render an article's body (with its notes) and pick its summary."""
    annotations = site.annotations.get(article.slug)
    body = prepare_body(article, annotations, site.config, date_text)
    summary = article.summary or shorten(body.first_paragraph)
    why = annotations.commentary.why_it_matters if annotations else ""
    return Prepared(article, body, summary, why)


def summary_only(article: Article, summary: str, why_it_matters: str) -> Prepared:
    """An article as its list cards show it: summary and why it matters, no body."""
    return Prepared(article, _NO_BODY, summary, why_it_matters)


_NO_BODY = PreparedBody((), (), "")


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def date_text(day: dt.date) -> DateText:
    """A date as ISO and as ``25 November 2026``."""
    return DateText(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}")


def chrome(
    site: Site,
    route: str,
    title: str,
    current: str,
    description: str = "",
    *,
    feed: tuple[str, str] | None = None,
    meta: tuple[MetaTag, ...] = (),
    json_ld: Markup = NO_MARKUP,
) -> Chrome:
    """The frame of the page at ``route``; ``feed`` is (route, title) of its own feed."""
    config = site.config
    link = linker(site, route)
    if route == urls.not_found():
        site_feed, stylesheet, home, nav = _site_links(link, config.title, current)
    else:  # the same for every page at one folder depth: made once
        site_feed, stylesheet, home, nav = _site_links_at(
            urls.depth(route), config.file_links, config.title, current
        )
    feeds = (site_feed,) if feed is None else (Link(link(feed[0]), feed[1]), site_feed)
    return Chrome(
        feeds=feeds,
        meta=meta
        or page_meta(
            config.title,
            title,
            description or config.description,
            urls.absolute(config.base_url, route),
        ),
        json_ld=json_ld,
        language=config.language,
        site_title=config.title,
        site_description=config.description,
        page_title=f"{title} — {config.title}" if title != config.title else title,
        description=description or config.description,
        canonical=urls.absolute(config.base_url, route),
        stylesheet=stylesheet,
        home=home,
        nav=nav,
    )


SiteLinks = tuple[Link, str, NavItem, tuple[NavItem, ...]]


def _site_links(link: Callable[[str], str], title: str, current: str) -> SiteLinks:
    """The site's feed, stylesheet, home and sections, linked from one page."""
    return (
        Link(link(urls.feed()), f"{title} (all articles)"),
        link(urls.static("style.css")),
        NavItem(link(urls.home()), title, current == "home"),
        tuple(
            NavItem(link(to), text, current == section)
            for to, text, section in (
                (urls.topics_index(), "Topics", "topics"),
                (urls.tags_index(), "Tags", "tags"),
                (urls.archive(), "Archive", "archive"),
                (urls.search(), "Search", "search"),
            )
        ),
    )


@functools.lru_cache(maxsize=256)
def _site_links_at(depth: int, files: bool, title: str, current: str) -> SiteLinks:
    return _site_links(functools.partial(urls.climb, depth, files), title, current)


def page_meta(site_title: str, title: str, description: str, url: str) -> tuple[MetaTag, ...]:
    """OpenGraph and Twitter tags of a page that is not an article."""
    return (
        MetaTag("property", "og:type", "website"),
        MetaTag("property", "og:site_name", site_title),
        MetaTag("property", "og:title", title),
        MetaTag("property", "og:description", description),
        MetaTag("property", "og:url", url),
        MetaTag("name", "twitter:card", "summary"),
    )


def linker(site: Site, route: str) -> Callable[[str], str]:
    """The links of the page at ``route`` to other routes, in the site's link style."""
    files = site.config.file_links
    if route == urls.not_found():
        return lambda to: urls.site_absolute_path(site.config.base_path, to, files=files)
    return functools.partial(urls.climb, urls.depth(route), files)  # links kept by depth


def tag_links(site: Site, article: Article, link: Callable[[str], str]) -> tuple[Link, ...]:
    """Links to the tags of an article, as seen from one page."""
    slugs = dict.fromkeys(site.tag_slugs[name] for name in article.tags)
    return tuple(Link(link(urls.tag(slug)), site.tag_names[slug]) for slug in slugs)


def topic_links(site: Site, article: Article, link: Callable[[str], str]) -> tuple[Link, ...]:
    """Links to the topics of an article, as seen from one page."""
    slugs = dict.fromkeys(article.topics)
    return tuple(Link(link(urls.topic(slug)), site.topic_titles[slug]) for slug in slugs)
