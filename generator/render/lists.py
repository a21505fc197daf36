"""List pages: the home page, tags, topics and the archive, paginated.

Part of the views stage; ``listings`` tells which articles each list page shows,
so a serve session can re-render only the lists an edit touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import groupby

from generator.content import Article
from generator.render import urls
from generator.render.feeds import FEED_SIZE, feed_lists
from generator.render.frame import (
    MONTHS,
    Planner,
    Prepared,
    chrome,
    date_text,
    linker,
    tag_links,
    topic_links,
)
from generator.render.models import (
    ArchiveView,
    Card,
    Entry,
    Link,
    ListView,
    Month,
    MonthView,
    Pager,
    PageSpec,
    Term,
    TermsView,
    Year,
)
from generator.render.taxonomy import Site


def paginate(base: str, slugs: Sequence[str], per_page: int) -> list[tuple[str, int, int]]:
    """The pages of a list under ``base``: (route, first index, page count)."""
    total = max(1, -(-len(slugs) // per_page))
    return [
        (base if n == 1 else f"{base}page/{n}/", (n - 1) * per_page, total)
        for n in range(1, total + 1)
    ]


def listings(site: Site) -> dict[str, tuple[str, ...]]:
    """Every list page's route with the slugs of the articles it shows."""
    per_page = site.config.per_page
    lists: list[tuple[str, Sequence[str]]] = [("", [a.slug for a in site.articles])]
    lists += [(urls.tag(tag.slug), tag.articles) for tag in site.tags]
    lists += [(urls.topic(t.slug), site.topic_members[t.slug]) for t in site.topics]
    found = {
        route: tuple(slugs[start : start + per_page])
        for base, slugs in lists
        for route, start, _ in paginate(base, slugs, per_page)
    }
    for (year, month), articles in _months(site):
        found[_month_route(year, month)] = tuple(a.slug for a in articles)
    for base, _title, _subtitle, slugs in feed_lists(site):
        found[urls.feed(base)] = tuple(slugs[:FEED_SIZE])
    return found


def card(site: Site, item: Prepared, link: Callable[[str], str]) -> Card:
    """An article as a list entry, with links relative to the listing page."""
    article = item.article
    return Card(
        title=article.title,
        href=link(urls.article(article.slug)),
        outlet=article.outlet,
        added=date_text(article.date),
        published=date_text(article.published) if article.published else None,
        summary=item.summary,
        why_it_matters=item.why_it_matters,
        tags=tag_links(site, article, link),
        topics=topic_links(site, article, link),
    )


def _card(planner: Planner, slug: str, route: str, link: Callable[[str], str]) -> Card:
    """The card of ``slug`` as seen from ``route``: made once per folder depth."""
    key = (slug, urls.output_file(route).count("/"))
    found = planner.cards.get(key)
    if found is None:
        found = planner.cards[key] = card(planner.site, planner.prepared(slug), link)
    return found


def list_pages(
    planner: Planner,
    base: str,
    slugs: Sequence[str],
    heading: str,
    intro: str,
    crumbs: Sequence[tuple[str, str]] = (),
) -> Iterator[PageSpec]:
    """A paginated list of article cards under the folder ``base``."""
    site, per_page = planner.site, planner.site.config.per_page
    current = "home" if base == "" else base.split("/")[0]
    for route, start, total in paginate(base, slugs, per_page):
        if not planner.wanted(route):
            continue
        number = start // per_page + 1
        link = linker(site, route)
        chunk = slugs[start : start + per_page]
        view = ListView(
            heading=heading,
            intro=intro,
            cards=tuple(_card(planner, slug, route, link) for slug in chunk),
            pager=_pager(base, number, total, link),
            breadcrumbs=tuple(Link(link(to), text) for to, text in crumbs),
        )
        title = heading if number == 1 else f"{heading} (page {number})"
        feed = (urls.feed(base), f"{site.config.title}: {heading}" if base else site.config.title)
        page_title = site.config.title if base == "" and number == 1 else title
        page_chrome = chrome(site, route, page_title, current, feed=feed)
        yield PageSpec("list.html", route, page_chrome, view, base)


def _pager(base: str, number: int, total: int, link: Callable[[str], str]) -> Pager:
    def page(n: int) -> str:
        return link(base if n == 1 else f"{base}page/{n}/")

    newer = Link(page(number - 1), "Newer") if number > 1 else None
    older = Link(page(number + 1), "Older") if number < total else None
    return Pager(number, total, newer, older)


def tag_pages(planner: Planner) -> Iterator[PageSpec]:
    """The tag index and one paginated list per tag."""
    site, route = planner.site, urls.tags_index()
    link = linker(site, route)
    terms = tuple(
        Term(link(urls.tag(tag.slug)), tag.name, len(tag.articles))
        for tag in sorted(site.tags, key=lambda t: (t.name.casefold(), t.slug))
    )
    intro = f"{len(terms)} tags, each with the articles that carry it."
    view = TermsView("Tags", intro, terms)
    if planner.wanted(route):
        yield PageSpec("terms.html", route, chrome(site, route, "Tags", "tags"), view, "tags")
    crumbs = ((urls.home(), "Home"), (urls.tags_index(), "Tags"))
    for tag in site.tags:
        base, heading = urls.tag(tag.slug), f"Tag: {tag.name}"
        yield from list_pages(planner, base, tag.articles, heading, "", crumbs)


def topic_pages(planner: Planner) -> Iterator[PageSpec]:
    """The topic index and one paginated list per topic, with its description."""
    site, route = planner.site, urls.topics_index()
    link = linker(site, route)
    terms = tuple(
        Term(
            link(urls.topic(t.slug)),
            t.title,
            len(site.topic_members[t.slug]),
            t.description,
        )
        for t in site.topics
    )
    view = TermsView("Topics", "The subjects this digest follows.", terms)
    if planner.wanted(route):
        yield PageSpec("terms.html", route, chrome(site, route, "Topics", "topics"), view, "topics")
    crumbs = ((urls.home(), "Home"), (urls.topics_index(), "Topics"))
    for topic in site.topics:
        members, base = site.topic_members[topic.slug], urls.topic(topic.slug)
        yield from list_pages(planner, base, members, topic.title, topic.description, crumbs)


def _months(site: Site) -> list[tuple[tuple[int, int], list[Article]]]:
    """Articles grouped by the month they entered the digest, newest first."""

    def month_of(article: Article) -> tuple[int, int]:
        return (article.date.year, article.date.month)

    # site.articles are newest first by date (ties in a fixed order), so grouping them as
    # they are gives what a stable sort by (month, date), newest first, would
    return [(key, list(group)) for key, group in groupby(site.articles, key=month_of)]


def archive_pages(planner: Planner) -> Iterator[PageSpec]:
    """The archive index by year and month, and one page per month."""
    site, index = planner.site, urls.archive()
    months = _months(site)
    link = linker(site, index)
    years = tuple(
        Year(
            str(year),
            tuple(
                Month(MONTHS[m - 1], link(_month_route(year, m)), len(arts))
                for (_, m), arts in group
            ),
        )
        for year, group in groupby(months, key=lambda entry: entry[0][0])
    )
    if planner.wanted(index):
        view = ArchiveView("Archive", years)
        page_chrome = chrome(site, index, "Archive", "archive")
        yield PageSpec("archive.html", index, page_chrome, view, "archive")
    for (year, month), articles in months:
        if planner.wanted(_month_route(year, month)):
            yield _month_page(site, year, month, articles)


def _month_route(year: int, month: int) -> str:
    return f"{urls.archive()}{year}/{month:02d}/"


def _month_page(site: Site, year: int, month: int, articles: list[Article]) -> PageSpec:
    route = _month_route(year, month)
    link = linker(site, route)
    heading = f"{MONTHS[month - 1]} {year}"
    entries = tuple(
        Entry(date_text(a.date), a.title, link(urls.article(a.slug)), a.outlet) for a in articles
    )
    crumbs = (Link(link(urls.home()), "Home"), Link(link(urls.archive()), "Archive"))
    view = MonthView(heading, entries, crumbs)
    return PageSpec("month.html", route, chrome(site, route, heading, "archive"), view, "archive")
