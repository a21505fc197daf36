"""Page keys made from a page's inputs, so an unchanged page is known before it is planned.

A page's key hashes the *site stamp* (the layout stamp, ``site.yaml``, the topic list and
the tag names: what every page's frame and links may show) with what the page itself
shows:

- an article page: its article's stamp (file, notes, time zone) and its two neighbours'
  (their titles and links are on it);
- a list page, a month of the archive, a feed: the articles it shows, in order, their
  stamps, and how many pages its list has (the pager);
- the tag, topic and archive indexes: their terms' counts;
- the search and 404 pages: the site stamp alone.

A route of any other kind gets no key (always rendered).  This is what decides, in
``digest serve``, which pages an edit touches (:mod:`generator.preview.affected`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from generator.cache.keys import bytes_key, value_key
from generator.render import Site, listings, urls

_LATER_PAGE = re.compile(r"(.*?)page/\d+/")


def list_base(route: str) -> str:
    """The first page of the list a (possibly later) page belongs to."""
    later = _LATER_PAGE.fullmatch(route) if "page/" in route else None
    return later.group(1) if later else route


def page_counts(lists: Iterable[str]) -> dict[str, int]:
    """How many pages each list has, by its first page's route."""
    counts: dict[str, int] = {}
    for route in lists:
        base = list_base(route)
        counts[base] = counts.get(base, 0) + 1
    return counts


def site_stamp(site: Site, layouts: str) -> str:
    """A key for what any page may show of the site besides its articles."""
    tags = sorted(site.tag_names.items()), sorted(site.tag_slugs.items())
    return value_key("site", layouts, site.config, site.topics, tags)


def route_keys(site: Site, stamps: Mapping[str, str], layouts: str) -> dict[str, str]:
    """The key of every page route that has one (see the module's description).

    ``stamps``: a key per article slug (:func:`~generator.cache.stages.article_stamps`);
    ``layouts``: the layout stamp.
    """
    base = site_stamp(site, layouts)
    keys: dict[str, str] = {}
    order = [a.slug for a in site.articles]
    for index, slug in enumerate(order):
        newer = stamps[order[index - 1]] if index > 0 else ""
        older = stamps[order[index + 1]] if index + 1 < len(order) else ""
        route = urls.article(slug)
        keys[route] = bytes_key(base, route, stamps[slug], newer, older)
    lists = listings(site)
    pages = page_counts(lists)
    for route, slugs in lists.items():
        shown = "\0".join(f"{slug}\1{stamps[slug]}" for slug in slugs)
        keys[route] = bytes_key(base, route, str(pages[list_base(route)]), shown)
    tags = "\0".join(f"{tag.slug}\1{len(tag.articles)}" for tag in site.tags)
    keys[urls.tags_index()] = bytes_key(base, "tags", tags)
    topics = "\0".join(f"{s}\1{len(m)}" for s, m in sorted(site.topic_members.items()))
    keys[urls.topics_index()] = bytes_key(base, "topics", topics)
    months = "\0".join(f"{r}\1{len(s)}" for r, s in lists.items() if r.startswith(urls.archive()))
    keys[urls.archive()] = bytes_key(base, "archive", months)
    for route in (urls.search(), urls.not_found()):
        keys[route] = bytes_key(base, route)
    return keys
