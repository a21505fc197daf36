"""Stage 3: the Site becomes page specs, each with a read-only view model.

This is where lists are sorted, paginated and grouped, dates formatted and
links computed, so that templates only print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from generator import markdown, urls
from generator.bodyview import PreparedBody, prepare_body
from generator.model import Article
from generator.taxonomy import Site
from generator.viewmodels import (
    ArchiveView,
    ArticleView,
    Caption,
    Card,
    Chrome,
    CommentaryView,
    DateText,
    Entry,
    Link,
    ListView,
    Month,
    MonthView,
    NavItem,
    NotFoundView,
    Pager,
    PageSpec,
    Term,
    TermsView,
    Year,
)

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


def plan(site: Site) -> Iterator[PageSpec]:
    """Every page of the site, in a stable order."""
    prepared = [prepare(site, article) for article in site.articles]
    yield from article_pages(site, prepared)
    yield from list_pages(site, "", prepared, "Latest", site.config.description)
    yield from tag_pages(site, prepared)
    yield from topic_pages(site, prepared)
    yield from archive_pages(site)
    yield not_found_page(site)


def prepare(site: Site, article: Article) -> Prepared:
    """Render an article's body (with its notes) and pick its summary."""
    annotations = site.annotations.get(article.slug)
    body = prepare_body(article, annotations, site.config, date_text)
    summary = article.summary or _shorten(body.first_paragraph)
    why = annotations.commentary.why_it_matters if annotations else ""
    return Prepared(article, body, summary, why)


def _shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def date_text(day: dt.date) -> DateText:
    """A date as ISO and as ``25 November 2026``."""
    return DateText(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}")


def chrome(site: Site, route: str, title: str, current: str, description: str = "") -> Chrome:
    """The frame of the page at ``route``."""
    config = site.config
    link = _linker(site, route)
    return Chrome(
        language=config.language,
        site_title=config.title,
        site_description=config.description,
        page_title=f"{title} — {config.title}" if title != config.title else title,
        description=description or config.description,
        canonical=urls.absolute(config.base_url, route),
        stylesheet=link(urls.static("style.css")),
        home=NavItem(link(urls.home()), config.title, current == "home"),
        nav=tuple(
            NavItem(link(to), text, current == section)
            for to, text, section in (
                (urls.topics_index(), "Topics", "topics"),
                (urls.tags_index(), "Tags", "tags"),
                (urls.archive(), "Archive", "archive"),
            )
        ),
    )


def _linker(site: Site, route: str) -> Callable[[str], str]:
    if route == urls.not_found():
        return lambda to: urls.site_absolute_path(site.config.base_path, to)
    return lambda to: urls.href(route, to)


def tag_links(site: Site, article: Article, link: Callable[[str], str]) -> tuple[Link, ...]:
    """Links to the tags of an article, as seen from one page."""
    slugs = dict.fromkeys(site.tag_slugs[name] for name in article.tags)
    return tuple(Link(link(urls.tag(slug)), site.tag_names[slug]) for slug in slugs)


def topic_links(site: Site, article: Article, link: Callable[[str], str]) -> tuple[Link, ...]:
    """Links to the topics of an article, as seen from one page."""
    slugs = dict.fromkeys(article.topics)
    return tuple(Link(link(urls.topic(slug)), site.topic_titles[slug]) for slug in slugs)


def article_pages(site: Site, prepared: Sequence[Prepared]) -> Iterator[PageSpec]:
    """One page per article, with links to its newer and older neighbours."""
    for index, item in enumerate(prepared):
        article = item.article
        route = urls.article(article.slug)
        link = _linker(site, route)
        newer = prepared[index - 1].article if index > 0 else None
        older = prepared[index + 1].article if index + 1 < len(prepared) else None
        topics = topic_links(site, article, link)
        view = ArticleView(
            title=article.title,
            outlet=article.outlet,
            authors=_join_names(article.authors),
            published=date_text(article.published) if article.published else None,
            retrieved=date_text(article.retrieved) if article.retrieved else None,
            added=date_text(article.date),
            source_url=article.source_url,
            captions=tuple(Caption(i.caption, i.credit) for i in article.images),
            blocks=item.body.blocks,
            commentary=commentary_view(site, article.slug, link),
            unanchored=item.body.unanchored,
            tags=tag_links(site, article, link),
            topics=topics,
            breadcrumbs=(Link(link(urls.home()), "Home"), *topics[:1]),
            newer=Link(link(urls.article(newer.slug)), newer.title) if newer else None,
            older=Link(link(urls.article(older.slug)), older.title) if older else None,
        )
        page_chrome = chrome(site, route, article.title, "", item.summary)
        yield PageSpec("article.html", route, page_chrome, view, article.source)


def commentary_view(site: Site, slug: str, link: Callable[[str], str]) -> CommentaryView | None:
    """The editor's overall note for the top of an article page."""
    annotations = site.annotations.get(slug)
    if annotations is None:
        return None
    commentary = annotations.commentary
    return CommentaryView(
        why_it_matters=commentary.why_it_matters,
        overall=Markup(markdown.render(commentary.body)) if commentary.body else Markup(""),
        editor=site.config.editor_name(commentary.by),
        date=date_text((commentary.modified or commentary.created).date()),
        annotations_href=link(urls.annotation_page(slug)),
        note_count=len(annotations.notes),
    )


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def card(site: Site, item: Prepared, link: Callable[[str], str]) -> Card:
    """An article as a list entry, with links relative to the listing page."""
    article = item.article
    return Card(
        title=article.title,
        href=link(urls.article(article.slug)),
        outlet=article.outlet,
        date=date_text(article.published or article.date),
        summary=item.summary,
        why_it_matters=item.why_it_matters,
        tags=tag_links(site, article, link),
        topics=topic_links(site, article, link),
    )


def list_pages(
    site: Site,
    base: str,
    items: Sequence[Prepared],
    heading: str,
    intro: str,
    crumbs: Sequence[tuple[str, str]] = (),
) -> Iterator[PageSpec]:
    """A paginated list of article cards under the folder ``base``."""
    per_page = site.config.per_page
    total = max(1, -(-len(items) // per_page))
    current = "home" if base == "" else base.split("/")[0]
    for number in range(1, total + 1):
        route = base if number == 1 else f"{base}page/{number}/"
        link = _linker(site, route)
        chunk = items[(number - 1) * per_page : number * per_page]
        view = ListView(
            heading=heading,
            intro=intro,
            cards=tuple(card(site, item, link) for item in chunk),
            pager=_pager(base, number, total, link),
            breadcrumbs=tuple(Link(link(to), text) for to, text in crumbs),
        )
        title = heading if number == 1 else f"{heading} (page {number})"
        page_title = site.config.title if base == "" and number == 1 else title
        yield PageSpec("list.html", route, chrome(site, route, page_title, current), view, base)


def _pager(base: str, number: int, total: int, link: Callable[[str], str]) -> Pager:
    def page(n: int) -> str:
        return link(base if n == 1 else f"{base}page/{n}/")

    newer = Link(page(number - 1), "Newer") if number > 1 else None
    older = Link(page(number + 1), "Older") if number < total else None
    return Pager(number, total, newer, older)


def tag_pages(site: Site, prepared: Sequence[Prepared]) -> Iterator[PageSpec]:
    """The tag index and one paginated list per tag."""
    by_slug = {item.article.slug: item for item in prepared}
    route = urls.tags_index()
    terms = tuple(
        Term(urls.href(route, urls.tag(tag.slug)), tag.name, len(tag.articles))
        for tag in sorted(site.tags, key=lambda t: (t.name.casefold(), t.slug))
    )
    intro = f"{len(terms)} tags, each with the articles that carry it."
    view = TermsView("Tags", intro, terms)
    yield PageSpec("terms.html", route, chrome(site, route, "Tags", "tags"), view, "tags")
    crumbs = ((urls.home(), "Home"), (urls.tags_index(), "Tags"))
    for tag in site.tags:
        items = [by_slug[slug] for slug in tag.articles]
        yield from list_pages(site, urls.tag(tag.slug), items, f"Tag: {tag.name}", "", crumbs)


def topic_pages(site: Site, prepared: Sequence[Prepared]) -> Iterator[PageSpec]:
    """The topic index and one paginated list per topic, with its description."""
    by_slug = {item.article.slug: item for item in prepared}
    route = urls.topics_index()
    terms = tuple(
        Term(
            urls.href(route, urls.topic(t.slug)),
            t.title,
            len(site.topic_members[t.slug]),
            t.description,
        )
        for t in site.topics
    )
    view = TermsView("Topics", "The subjects this digest follows.", terms)
    yield PageSpec("terms.html", route, chrome(site, route, "Topics", "topics"), view, "topics")
    crumbs = ((urls.home(), "Home"), (urls.topics_index(), "Topics"))
    for topic in site.topics:
        items = [by_slug[slug] for slug in site.topic_members[topic.slug]]
        base = urls.topic(topic.slug)
        yield from list_pages(site, base, items, topic.title, topic.description, crumbs)


def archive_pages(site: Site) -> Iterator[PageSpec]:
    """The archive index by year and month, and one page per month."""

    def month_of(article: Article) -> tuple[int, int]:
        return (article.date.year, article.date.month)

    ordered = sorted(site.articles, key=lambda a: (month_of(a), a.date), reverse=True)
    months = [(key, list(group)) for key, group in groupby(ordered, key=month_of)]
    index = urls.archive()
    years = tuple(
        Year(
            str(year),
            tuple(
                Month(MONTHS[m - 1], urls.href(index, _month_route(year, m)), len(arts))
                for (_, m), arts in group
            ),
        )
        for year, group in groupby(months, key=lambda entry: entry[0][0])
    )
    view = ArchiveView("Archive", years)
    yield PageSpec(
        "archive.html", index, chrome(site, index, "Archive", "archive"), view, "archive"
    )
    for (year, month), articles in months:
        yield _month_page(site, year, month, articles)


def _month_route(year: int, month: int) -> str:
    return f"{urls.archive()}{year}/{month:02d}/"


def _month_page(site: Site, year: int, month: int, articles: list[Article]) -> PageSpec:
    route = _month_route(year, month)
    link = _linker(site, route)
    heading = f"{MONTHS[month - 1]} {year}"
    entries = tuple(
        Entry(date_text(a.date), a.title, link(urls.article(a.slug)), a.outlet) for a in articles
    )
    crumbs = (Link(link(urls.home()), "Home"), Link(link(urls.archive()), "Archive"))
    view = MonthView(heading, entries, crumbs)
    return PageSpec("month.html", route, chrome(site, route, heading, "archive"), view, "archive")


def not_found_page(site: Site) -> PageSpec:
    """The 404 page; its links start at the site's root path, as it is served anywhere."""
    route = urls.not_found()
    link = _linker(site, route)
    view = NotFoundView("Page not found", Link(link(urls.home()), "Go to the latest articles"))
    return PageSpec("404.html", route, chrome(site, route, "Page not found", ""), view, "404")
