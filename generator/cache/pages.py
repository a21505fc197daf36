"""Pages rendered by worker processes, and reused from the last build when their inputs hold.

A page's key hashes its inputs (:mod:`generator.cache.routes`: the articles it shows, the
site's settings, the layouts), so an unchanged page is known without planning it.  The
cache keeps, per key, the identity of the file the last build wrote for it (device, inode,
size and modification time, as ``make`` and ``git`` compare files); a page whose key is
known is taken from the output folder of the last build (a hard link into the new one) when
that file is still the one written, reached through no link.  Anything else (no cache, a
changed page, a changed layout, an output folder edited by hand or deleted) renders the
page, and only the bodies of the articles the rendered pages show are read or prepared.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Container, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cache.keys import folder_stamp
from generator.cache.routes import route_keys
from generator.cache.stages import article_stamps, body_key, prepared_bodies
from generator.cache.store import Store
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import (
    Bodies,
    Prepared,
    PreparedBody,
    SearchRecord,
    Site,
    listings,
    page_routes,
    parallel,
    plan_pages,
    search_records,
    summary_only,
    templates,
    urls,
)

Progress = Callable[[int, int], None]
FileId = tuple[int, int, int, int]  # device, inode, size, modification time (ns)


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its route, bytes (or the unchanged file of the last build that has
    them) and origin, its cache key, and its search records (made from the view model in
    the worker, so the index never parses the HTML; empty without search)."""

    route: str
    data: bytes
    origin: str
    key: str
    previous: Path | None = None
    records: tuple[SearchRecord, ...] = ()
    file: tuple[int, int] | None = None  # device and inode of the file in ``previous``


def render_pages(
    site: Site,
    store: Store,
    jobs: int | None,
    previous: Path,
    diags: Diagnostics,
    progress: Progress | None = None,
    search: bool = True,
    routes: Sequence[str] | None = None,
) -> Generator[Page, None, None]:
    """Every page of ``site`` in plan order, rendered (or reused from ``previous``).

    ``jobs``: worker processes (``None``: as many as the pages to render pay for);
    ``routes``: :func:`~generator.render.page_routes` of ``site``, if known.  A template
    error is recorded in ``diags`` once and its page skipped.  The workers end with the
    generator: close it if you may leave it early (an error, Ctrl-C).
    """
    routes = page_routes(site) if routes is None else routes
    stamps = article_stamps(site, store) if store.enabled else {}
    if store.enabled:
        layouts = folder_stamp(templates.layout_dirs(site.config.layouts_dir))
        keys = route_keys(site, stamps, layouts)
    else:
        keys = {}
    base = previous.resolve()
    kept = _kept(store, keys, routes, base, search)
    missing = [route for route in routes if route not in kept]
    own, cards, whole = _shown(site, missing)
    bodies = prepared_bodies(site, store, jobs, stamps, own.keys() | cards | whole, own.keys())
    workers = parallel.worker_count(jobs, len(missing))
    shows = (own, cards, whole)
    phases = _phases(site, store, stamps, bodies, missing, shows, workers, diags, search)
    with contextlib.closing(phases) as rendered:
        yield from _in_order(routes, keys, kept, base, rendered, store, search, progress)


def _in_order(
    routes: Sequence[str],
    keys: dict[str, str],
    kept: dict[str, tuple[tuple[FileId, str], tuple[SearchRecord, ...]]],
    base: Path,
    rendered: Iterator[list[Page]],
    store: Store,
    search: bool,
    progress: Progress | None,
) -> Iterator[Page]:
    """:func:`render_pages`' pages in plan order: kept ones from ``base``, the others as
    ``rendered`` gives them."""
    ready: dict[str, Page] = {}
    for done, route in enumerate(routes, start=1):
        key = keys.get(route, "")
        if route in kept:
            (identity, origin), records = kept[route]
            store.put("pages", key, (identity, origin))
            if search:
                store.put("records", key, records)
            yield Page(route, b"", origin, key, base, records, identity[:2])
        else:
            while route not in ready and (chunk := next(rendered, None)) is not None:
                ready.update((page.route, page) for page in chunk)
            page = ready.pop(route, None)
            if page is not None:
                yield Page(page.route, page.data, page.origin, key, records=page.records)
                if key and search:
                    store.put("records", key, page.records)
        if progress is not None:
            progress(done, len(routes))
    for _ in rendered:  # its template errors are reported at its end
        pass


def remember_pages(store: Store, pages: Iterable[Page], output: Path) -> None:
    """Note the files of ``output`` that ``pages`` were written to (rendered, or copied
    where no hard link could be made), for the next build."""
    for page in pages:
        if page.key:
            try:
                info = os.lstat(output / urls.output_file(page.route))
            except OSError:
                continue
            store.put("pages", page.key, (_identity(info), page.origin))


def _kept(
    store: Store, keys: dict[str, str], routes: Sequence[str], previous: Path, search: bool
) -> dict[str, tuple[tuple[FileId, str], tuple[SearchRecord, ...]]]:
    """The routes whose file in ``previous`` is the one the last build wrote for their key,
    with that file's identity and the page's search records (when ``search``)."""
    if not keys:
        return {}
    store.preload("pages")
    kept = {}
    root = str(previous)
    real = {root: previous.is_dir() and not previous.is_symlink()}
    for route in routes:
        key = keys.get(route, "")
        known = store.get("pages", key) if key else None
        if not isinstance(known, tuple) or len(known) != 2 or not isinstance(known[1], str):
            continue
        records = store.get("records", key) if search else ()
        if not isinstance(records, tuple) or not all(type(r) is SearchRecord for r in records):
            continue
        path = os.path.join(root, urls.output_file(route))
        if _real_folder(os.path.dirname(path), real) and _identity_of(path) == known[0]:
            kept[route] = (known, records)
    return kept


def _real_folder(folder: str, real: dict[str, bool]) -> bool:
    """Whether ``folder`` is a folder inside the output folder (the first key of ``real``)
    reached through no link (answers are remembered in ``real``)."""
    found = real.get(folder)
    if found is None:
        try:
            info = os.lstat(folder)
        except OSError:
            info = None
        own = info is not None and stat.S_ISDIR(info.st_mode)
        parent = os.path.dirname(folder)
        found = real[folder] = own and parent != folder and _real_folder(parent, real)
    return found


def _identity(info: os.stat_result) -> FileId:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _identity_of(path: str) -> FileId | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return _identity(info) if stat.S_ISREG(info.st_mode) else None


def _shown(site: Site, routes: Sequence[str]) -> tuple[dict[str, str], set[str], set[str]]:
    """The articles whose pages are among ``routes`` (slug: route), those whose cards the
    list pages among them show, and those whose whole bodies their feeds show."""
    wanted = set(routes)
    own = {a.slug: r for a in site.articles if (r := urls.article(a.slug)) in wanted}
    cards: set[str] = set()
    whole: set[str] = set()
    for route, slugs in listings(site).items() if wanted else ():
        if route in wanted:
            (whole if route.endswith(urls.feed()) else cards).update(slugs)
    return own, cards, whole


Made = list[tuple[str, PreparedBody | None, str, str]]  # slug, body (or not), summary, why


def _phases(
    site: Site,
    store: Store,
    stamps: Mapping[str, str],
    bodies: Bodies,
    routes: Sequence[str],
    shows: tuple[Mapping[str, str], Container[str], Container[str]],
    jobs: int,
    diags: Diagnostics,
    search: bool,
) -> Generator[list[Page], None, None]:
    """The pages ``routes``, rendered by ``jobs`` workers, a chunk at a time: first the
    article pages ``own`` (whose workers prepare their bodies and send back only what the
    other pages show of them: the summaries of cards, the bodies of feed entries), then
    the others, by workers started once those are known.  So the build never holds every
    body, and no worker inherits them.  Template errors are added to ``diags`` at the end.
    """
    own, cards, whole = shows
    by_slug = {article.slug: article for article in site.articles}
    first = set(own.values())
    failures: list[tuple[Diagnostic, str]] = []  # in page order
    wanted = whole if not store.enabled else _All()
    articles = [route for route in routes if route in first]
    phase = _render(site, bodies, articles, jobs, failures, search, wanted, cards)
    with contextlib.closing(phase):  # the workers end when this generator is closed
        for pages, made in phase:
            for slug, body, summary, why in made:
                article = by_slug[slug]
                if body is None:
                    bodies.add(site, summary_only(article, summary, why))
                    continue
                if slug in cards or slug in whole:
                    bodies.add(site, Prepared(article, body, summary, why))
                if store.enabled:
                    store.put("bodies", body_key(site, article, stamps), (body, summary, why))
            yield pages
    others = [route for route in routes if route not in first]
    phase = _render(site, bodies, others, jobs, failures, search, (), ())
    with contextlib.closing(phase):
        for pages, _ in phase:
            yield pages
    diags.extend(templates.one_per_mistake(failures))


class _All:
    def __contains__(self, item: object) -> bool:
        return True


def _render(
    site: Site,
    bodies: Bodies,
    routes: Sequence[str],
    jobs: int,
    failures: list[tuple[Diagnostic, str]],
    search: bool,
    whole: Container[str],
    summaries: Container[str],
) -> Generator[tuple[list[Page], Made], None, None]:
    """The pages ``routes``, rendered by ``jobs`` workers, a chunk at a time, in order,
    each with the bodies its worker prepared of the articles ``whole`` and the summaries
    of those in ``summaries``.  Template errors are added to ``failures``.  The workers
    end with the generator (close it if you may leave it early)."""
    root = site.config.root
    env = templates.environment(site.config.layouts_dir)

    def task(chunk: Sequence[str]) -> tuple[list[Page], list[tuple[Diagnostic, str]], Made]:
        wanted, done, failed = frozenset(chunk), [], []
        files = site.config.file_links
        mine = Bodies(bodies)
        for spec in plan_pages(site, wanted.__contains__, mine):
            records = tuple(search_records(spec, files=files)) if search else ()
            try:
                data = templates.render(env, spec, root).encode("utf-8")
            except templates.TemplateFailed as exc:
                failed.append((exc.diagnostic, exc.route))
                continue
            done.append(Page(spec.route, data, spec.origin, "", records=records))
        made: Made = [
            (slug, p.body if slug in whole else None, p.summary, p.why_it_matters)
            for p in mine.own()
            if (slug := p.article.slug) in whole or slug in summaries
        ]
        return done, failed, made

    chunks = parallel.chunked(routes, jobs)
    with contextlib.closing(parallel.ordered_map(task, chunks, jobs)) as results:
        for pages, failed, made in results:
            failures += failed
            yield pages, made
