"""Which pages an edit touches: the routes an incremental rebuild re-renders.

Compares the last ``Site`` with the new one (and their list pages): changed articles and
their neighbours, every list page, feed and archive month whose articles or page count
changed, and the indexes whose counts changed.  Everything else keeps its file.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.cache import list_base, page_counts
from generator.render import Site, urls


def everything_changed(route: str) -> bool:
    """Every page is affected (a full rebuild)."""
    return True


def affected_routes(
    old: Site,
    new: Site,
    old_lists: Mapping[str, tuple[str, ...]],
    new_lists: Mapping[str, tuple[str, ...]],
) -> set[str]:
    """The pages an edit touches: changed articles, their neighbours, lists and indexes."""
    before = {a.slug: (a, old.annotations.get(a.slug)) for a in old.articles}
    after = {a.slug: (a, new.annotations.get(a.slug)) for a in new.articles}
    changed = {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
    routes = {urls.article(slug) for slug in changed}
    for site in (old, new):
        order = [a.slug for a in site.articles]
        for index, slug in enumerate(order):
            if slug in changed:
                routes.update(urls.article(s) for s in order[max(0, index - 1) : index + 2])
    old_pages, new_pages = page_counts(old_lists), page_counts(new_lists)
    for route, slugs in new_lists.items():
        base = list_base(route)
        if (
            old_lists.get(route) != slugs
            or changed.intersection(slugs)
            or old_pages.get(base) != new_pages[base]
        ):
            routes.add(route)
    if _tag_counts(old) != _tag_counts(new):
        routes.add(urls.tags_index())
    if old.topic_members != new.topic_members:
        routes.add(urls.topics_index())
    if _month_counts(old_lists) != _month_counts(new_lists):
        routes.add(urls.archive())
    return routes


def _tag_counts(site: Site) -> list[tuple[str, int]]:
    return [(tag.slug, len(tag.articles)) for tag in site.tags]


def _month_counts(lists: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    return {r: len(s) for r, s in lists.items() if r.startswith(urls.archive())}
