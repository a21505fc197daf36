"""Atom feeds: the site's, each tag's and each topic's latest articles.

Each entry carries the editor's commentary and the article (or, under
``reproduce: excerpt``, the annotated passages only), a ``rel="via"`` link to
the original, its authors and dates.  Part of the views stage.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Iterator, Sequence

from generator import __version__
from generator.content import markdown
from generator.render import urls
from generator.render.frame import Planner, Prepared, chrome
from generator.render.metadata import keywords, last_change, moment, published
from generator.render.models import FeedAuthor, FeedEntry, FeedView, PageSpec
from generator.render.taxonomy import Site

FEED_SIZE = 20


def feed_lists(site: Site) -> Iterator[tuple[str, str, str, Sequence[str]]]:
    """Every feed: (list folder, title, subtitle, article slugs, newest first)."""
    yield "", site.config.title, site.config.description, [a.slug for a in site.articles]
    for tag in site.tags:
        yield urls.tag(tag.slug), f"{site.config.title}: {tag.name}", "", tag.articles
    for topic in site.topics:
        title = f"{site.config.title}: {topic.title}"
        yield urls.topic(topic.slug), title, topic.description, site.topic_members[topic.slug]


def feed_pages(planner: Planner) -> Iterator[PageSpec]:
    """The Atom feed of the site and of every tag and topic."""
    for base, title, subtitle, slugs in feed_lists(planner.site):
        route = urls.feed(base)
        if planner.wanted(route):
            yield _feed(planner, base, title, subtitle, slugs[:FEED_SIZE])


def _feed(planner: Planner, base: str, title: str, subtitle: str, slugs: Sequence[str]) -> PageSpec:
    site, route = planner.site, urls.feed(base)
    config = site.config
    entries = tuple(_entry(planner, slug) for slug in slugs)
    view = FeedView(
        id=urls.absolute(config.base_url, route),
        title=title,
        subtitle=subtitle,
        self_url=urls.absolute(config.base_url, route),
        page_url=urls.absolute(config.base_url, base),
        updated=max((e.updated for e in entries), default=_epoch()),
        language=config.language,
        generator=f"digest {__version__}",
        entries=entries,
    )
    return PageSpec("feed.xml", route, chrome(site, route, title, ""), view, base or "feed")


def _entry(planner: Planner, slug: str) -> FeedEntry:
    """The feed entry of ``slug`` (the same in every feed: its links are absolute)."""
    found = planner.entries.get(slug)
    if found is None:
        found = planner.entries[slug] = entry(planner, planner.prepared(slug))
    return found


def entry(planner: Planner, item: Prepared) -> FeedEntry:
    """One article as a feed entry."""
    site, article = planner.site, item.article
    config = site.config
    updated = last_change(site, article)
    names = article.authors or (article.outlet,)
    return FeedEntry(
        id=urls.absolute(config.base_url, urls.article(article.slug)),
        title=article.title,
        link=urls.absolute(config.base_url, urls.article(article.slug)),
        via=article.source_url,
        published=published(article, config.timezone),
        updated=moment(updated, config.timezone),
        authors=tuple(FeedAuthor(name) for name in names),
        summary=item.why_it_matters or item.summary,
        content=content(planner, item),
        categories=tuple(keywords(site, article)),
    )


def content(planner: Planner, item: Prepared) -> str:
    """The HTML of an entry: commentary first, then the article, then the source."""
    site, article = planner.site, item.article
    parts = []
    annotations = site.annotations.get(article.slug)
    if annotations is not None:
        commentary = annotations.commentary
        if commentary.why_it_matters:
            why = html.escape(commentary.why_it_matters)
            parts.append(f"<p><strong>Why it matters:</strong> {why}</p>")
        if commentary.body:
            parts.append(markdown.render_note(commentary.body, "editor"))
        notes = [
            f"<li><blockquote><p>{html.escape(p.note.quote or p.note.start + ' … ' + p.note.end)}"
            f"</p></blockquote>{markdown.render_note(p.note.body, p.note.id)}</li>"
            for p in annotations.notes
            if p.note.body
        ]
        if notes:
            parts.append("<h2>Editors’ notes</h2><ol>" + "".join(notes) + "</ol>")
    parts.extend(str(block.html) for block in item.body.blocks)
    if article.source_url:
        url = html.escape(article.source_url, quote=True)
        parts.append(
            f'<p><a href="{url}">Read the original at {html.escape(article.outlet)}</a></p>'
        )
    return "\n".join(parts)


def _epoch() -> str:
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()
