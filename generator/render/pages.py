"""Stage 3: the Site becomes page specs, each with a read-only view model.

This is where lists are sorted, paginated and grouped, dates formatted and
links computed, so that templates only print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from markupsafe import Markup

from generator.content import Reproduce, markdown
from generator.render import urls
from generator.render.feeds import feed_pages
from generator.render.frame import (
    Bodies,
    Planner,
    Wanted,
    chrome,
    date_text,
    everything,
    linker,
    tag_links,
    topic_links,
)
from generator.render.lists import archive_pages, list_pages, tag_pages, topic_pages
from generator.render.metadata import article_json_ld, article_meta
from generator.render.models import (
    ArticleView,
    Caption,
    CommentaryView,
    Link,
    NotFoundView,
    PageSpec,
    SearchView,
)
from generator.render.taxonomy import Site


def plan(
    site: Site, wanted: Wanted = everything, bodies: Bodies | None = None
) -> Iterator[PageSpec]:
    """The pages of the site for which ``wanted(route)`` holds, in a stable order."""
    by_slug = {article.slug: article for article in site.articles}
    planner = Planner(site, bodies or Bodies(), wanted, by_slug)
    yield from article_pages(planner)
    home = [a.slug for a in site.articles]
    yield from list_pages(planner, "", home, "Latest", site.config.description)
    yield from tag_pages(planner)
    yield from topic_pages(planner)
    yield from archive_pages(planner)
    yield from feed_pages(planner)
    if wanted(urls.search()):
        yield search_page(site)
    if wanted(urls.not_found()):
        yield not_found_page(site)


def routes(site: Site) -> list[str]:
    """The route of every page of ``site`` (without building any page)."""
    found: list[str] = []

    def note(route: str) -> bool:
        found.append(route)
        return False

    for _ in plan(site, note):
        pass
    return found


def article_pages(planner: Planner) -> Iterator[PageSpec]:
    """One page per article, with links to its newer and older neighbours."""
    site, articles = planner.site, planner.site.articles
    for index, article in enumerate(articles):
        route = urls.article(article.slug)
        if not planner.wanted(route):
            continue
        item = planner.prepared(article.slug)
        link = linker(site, route)
        newer = articles[index - 1] if index > 0 else None
        older = articles[index + 1] if index + 1 < len(articles) else None
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
            excerpt=(article.reproduce or site.config.reproduce) is Reproduce.EXCERPT,
        )
        description = item.why_it_matters or item.summary
        page_chrome = chrome(
            site,
            route,
            article.title,
            "",
            description,
            meta=article_meta(site, article, description),
            json_ld=article_json_ld(site, article, description),
        )
        yield PageSpec("article.html", route, page_chrome, view, article.source)


def commentary_view(site: Site, slug: str, link: Callable[[str], str]) -> CommentaryView | None:
    """The editor's overall note for the top of an article page."""
    annotations = site.annotations.get(slug)
    if annotations is None:
        return None
    commentary = annotations.commentary
    return CommentaryView(
        why_it_matters=commentary.why_it_matters,
        overall=Markup(markdown.render_note(commentary.body, "editor"))
        if commentary.body
        else Markup(""),
        editor=site.config.editor_name(commentary.by),
        date=date_text((commentary.modified or commentary.created).date()),
        annotations_href=link(urls.annotation_page(slug)),
    )


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def search_page(site: Site) -> PageSpec:
    """The search page: our script over Pagefind's API and the index in ``pagefind/``."""
    route = urls.search()
    link = linker(site, route)
    view = SearchView(
        heading="Search",
        script=link(urls.static("search.js")),
        root=urls.root(route),
        browse=(
            Link(link(urls.topics_index()), "topics"),
            Link(link(urls.tags_index()), "tags"),
            Link(link(urls.archive()), "the archive"),
        ),
    )
    description = f"Search the articles and commentary of {site.config.title}."
    return PageSpec(
        "search.html", route, chrome(site, route, "Search", "search", description), view, "search"
    )


def not_found_page(site: Site) -> PageSpec:
    """The 404 page; its links start at the site's root path, as it is served anywhere."""
    route = urls.not_found()
    link = linker(site, route)
    view = NotFoundView("Page not found", Link(link(urls.home()), "Go to the latest articles"))
    return PageSpec("404.html", route, chrome(site, route, "Page not found", ""), view, "404")
