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
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cache.keys import folder_stamp
from generator.cache.routes import route_keys
from generator.cache.stages import article_stamps, prepared_bodies
from generator.cache.store import Store
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import (
    Bodies,
    SearchRecord,
    Site,
    listings,
    page_routes,
    parallel,
    plan_pages,
    search_records,
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
    bodies = prepared_bodies(site, store, jobs, stamps, _shown(site, missing))
    workers = parallel.worker_count(jobs, len(missing))
    with contextlib.closing(_render(site, bodies, missing, workers, diags, search)) as rendered:
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


def _shown(site: Site, routes: Sequence[str]) -> set[str]:
    """The articles whose bodies the pages ``routes`` show (their own page, their cards)."""
    wanted = set(routes)
    shown = {a.slug for a in site.articles if urls.article(a.slug) in wanted}
    for route, slugs in listings(site).items() if wanted else ():
        if route in wanted:
            shown.update(slugs)
    return shown


def _render(
    site: Site,
    bodies: Bodies,
    routes: Sequence[str],
    jobs: int,
    diags: Diagnostics,
    search: bool,
) -> Generator[list[Page], None, None]:
    """The pages ``routes``, rendered by ``jobs`` workers, a chunk at a time, in order.

    Template errors are added to ``diags`` when the last chunk is done."""
    root = site.config.root
    env = templates.environment(site.config.layouts_dir)

    def task(chunk: Sequence[str]) -> tuple[list[Page], list[Diagnostic]]:
        wanted, done, failed = frozenset(chunk), [], []
        files = site.config.file_links
        for spec in plan_pages(site, wanted.__contains__, bodies):
            records = tuple(search_records(spec, files=files)) if search else ()
            try:
                data = templates.render(env, spec, root).encode("utf-8")
            except templates.TemplateFailed as exc:
                failed.append(exc.diagnostic)
                continue
            done.append(Page(spec.route, data, spec.origin, "", records=records))
        return done, failed

    chunks = parallel.chunked(routes, jobs)
    failures: dict[Diagnostic, None] = {}  # in page order, each once
    with contextlib.closing(parallel.ordered_map(task, chunks, jobs)) as results:
        for pages, failed in results:
            failures.update(dict.fromkeys(failed))
            yield pages
    diags.extend(failures)
