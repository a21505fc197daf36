"""The last ``Site`` patched for an edit that leaves the site's shape alone.

Grouping 10,000 articles by tag, topic and month, listing every page and comparing every
article costs tens of milliseconds per preview rebuild.  Most edits (a body, a title, a
note) change none of what the grouping reads: which articles there are, their slugs,
dates, tags and topics, and where those keys sit in their files.  For such an edit the
new ``Site`` is the last one with the edited articles swapped in; its list pages, page
routes and grouping diagnostics are the last ones; and the pages it touches are the edited
articles', their neighbours' and the lists showing them.  Any other edit groups the site
anew (:func:`~generator.render.make_site`).  Either way the site is the one a full build
makes.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.annotations import Annotations
from generator.content import (
    Article,
    ArticleCache,
    Content,
    SiteConfig,
    load_content,
    load_topics,
    topics_path,
)
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import Site, listings, local_days, make_site, page_routes, urls

MAX_PATCHED = 50  # more changed articles than this: grouped anew


@dataclass(slots=True)
class Shape:
    """A grouped site with what its shape decides: list pages, page routes, diagnostics."""

    config: SiteConfig
    content: Content
    site: Site
    lists: dict[str, tuple[str, ...]]
    pages: list[str]
    diagnostics: tuple[Diagnostic, ...]
    listed: list[str]  # the article files, as listed
    index: dict[str, int] = field(default_factory=dict)  # position of each slug
    shown_on: dict[str, list[str]] | None = None  # list routes by slug, made when asked
    files: frozenset[str] | None = None  # the pages' output files, made when asked
    articles: tuple[str, ...] | None = None  # article routes, made when asked

    def article_routes(self) -> tuple[str, ...]:
        """The route of every article page, newest first."""
        if self.articles is None:
            self.articles = tuple(urls.article(a.slug) for a in self.site.articles)
        return self.articles

    def page_files(self) -> frozenset[str]:
        """The output file of every page route."""
        if self.files is None:
            self.files = frozenset(urls.output_file(route) for route in self.pages)
        return self.files

    def lists_of(self, slug: str) -> list[str]:
        """The list pages (lists, months, feeds) that show the article ``slug``."""
        if self.shown_on is None:
            self.shown_on = {}
            for route, slugs in self.lists.items():
                for shown in slugs:
                    self.shown_on.setdefault(shown, []).append(route)
        return self.shown_on.get(slug, [])


def grouped(
    config: SiteConfig, content: Content, annotations: Mapping[str, Annotations], listed: list[str]
) -> Shape:
    """The site grouped anew, with its lists, page routes and grouping diagnostics;
    ``listed``: the article files ``content`` was loaded from."""
    own = Diagnostics()
    site = make_site(config, content, own, annotations)
    index = {article.slug: number for number, article in enumerate(site.articles)}
    lists, pages = listings(site), page_routes(site)
    return Shape(config, content, site, lists, pages, tuple(own.items), listed, index)


def reloaded(
    last: Shape | None, root: Path, diags: Diagnostics, cache: ArticleCache, listed: list[str]
) -> Content:
    """The article files ``listed`` (parsed again where they changed, see ``cache``) and
    the topics, as :func:`~generator.content.load_content` gives them.

    When the files are those of ``last`` and the changed ones keep their slugs, the last
    content is patched: the slugs need no new check and the other files' front matter
    lines are the last ones.
    """
    if last is None or last.content.failed or listed != last.listed:
        return load_content(root, diags, cache, listed)
    old = last.content
    own = Diagnostics()
    loaded = [cache.load(root, path, own) for path in listed]
    articles, lines = list(old.articles), dict(old.key_lines)
    changed = 0
    for number, item in enumerate(loaded):
        if item is not None and item[0] is articles[number]:
            continue
        changed += 1
        if item is None or item[0].slug != articles[number].slug or changed > MAX_PATCHED:
            return load_content(root, diags, cache, listed)
        articles[number] = item[0]
        lines[item[0].source] = dict(item[1])
    diags.extend(own.items)
    topics = load_topics(root, diags)
    exists = topics_path(root).is_file()
    return Content(tuple(articles), topics, lines, old.failed, exists)


def patched(
    last: Shape,
    config: SiteConfig,
    content: Content,
    annotations: Mapping[str, Annotations],
    listed: list[str],
) -> tuple[Shape, set[str]] | None:
    """``last`` with the articles and notes of ``content`` (loaded from the files
    ``listed``) swapped in, and the slugs whose article or notes changed; ``None`` when
    the edit changes the site's shape.  The lazily made parts of ``last`` (which lists
    show an article) are made now, so that every later patch shares them."""
    old = last.content
    if (
        config != last.config
        or content.topics != old.topics
        or content.topics_file != old.topics_file
        or len(content.articles) != len(old.articles)
    ):
        return None
    swapped: list[Article] = []
    for before, after in zip(old.articles, content.articles, strict=True):
        if before is after:
            continue
        if not _same_place(old, before, content, after) or len(swapped) >= MAX_PATCHED:
            return None
        swapped.append(after)
    changed = {a.slug for a in swapped} | _notes_changed(last.site.annotations, annotations)
    articles = list(last.site.articles)
    zone = zoneinfo.ZoneInfo(config.timezone)
    for article in swapped:
        articles[last.index[article.slug]] = local_days(article, zone)
    site = replace(last.site, config=config, articles=tuple(articles), annotations=annotations)
    last.lists_of("")
    shape = replace(last, config=config, content=content, site=site, listed=listed)
    return shape, changed


def touched(shape: Shape, changed: set[str]) -> set[str]:
    """The pages of a patched site that show the articles ``changed``: their own, their
    neighbours' (which link to them by title) and the lists, months and feeds they are on."""
    order = shape.site.articles
    routes: set[str] = set()
    for slug in changed:
        number = shape.index[slug]
        routes.update(urls.article(a.slug) for a in order[max(0, number - 1) : number + 2])
        routes.update(shape.lists_of(slug))
    return routes


def _same_place(old: Content, before: Article, new: Content, after: Article) -> bool:
    """Whether ``after`` stands where ``before`` stood: same file, slug, dates, tags,
    topics, and the same lines for the keys grouping diagnostics point at."""
    return (
        before.source == after.source
        and before.slug == after.slug
        and before.date == after.date
        and before.published == after.published
        and before.times == after.times
        and before.tags == after.tags
        and before.topics == after.topics
        and old.key_lines.get(before.source) == new.key_lines.get(after.source)
    )


def _notes_changed(before: Mapping[str, Annotations], after: Mapping[str, Annotations]) -> set[str]:
    return {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
