"""Pages rendered by worker processes, and reused from the last build when their inputs hold.

A page's key hashes its view model (the :class:`PageSpec`: everything the template
prints) and the layout stamp (every template and static file).  The cache keeps, per key,
the SHA-256 of the bytes written; a page whose key is known is read back from the output
folder of the last build, and used only when those bytes still have that hash.  Anything
else (no cache, a changed page, a changed layout, an output folder edited by hand or
deleted) renders the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cache.keys import folder_stamp, value_key
from generator.cache.store import Store
from generator.content import inside
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import (
    Bodies,
    SearchRecord,
    Site,
    page_routes,
    parallel,
    plan_pages,
    search_records,
    templates,
    urls,
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its route, bytes (or the unchanged file of the last build that has
    them) and origin, its cache key and the SHA-256 of its bytes, and its search records
    (made from the view model in the worker, so the index never parses the HTML)."""

    route: str
    data: bytes
    origin: str
    key: str
    digest: str
    previous: Path | None = None
    records: tuple[SearchRecord, ...] = ()


def render_pages(
    site: Site,
    bodies: Bodies,
    store: Store,
    jobs: int,
    previous: Path,
    diags: Diagnostics,
    progress: Progress | None = None,
    search: bool = True,
) -> Iterator[Page]:
    """Every page of ``site`` in plan order, rendered (or reused from ``previous``), with
    its search records (none when ``search`` is false: no index will be made).

    A template error is recorded in ``diags`` once and its page skipped.
    """
    root, files = site.config.root, site.config.file_links
    env = templates.environment(site.config.layouts_dir)
    layouts = folder_stamp(templates.layout_dirs(site.config.layouts_dir)) if store.enabled else ""
    store.preload("pages")  # once here, not once in every worker

    def task(chunk: Sequence[str]) -> tuple[list[Page], list[Diagnostic]]:
        wanted, done, failed = frozenset(chunk), [], []
        for spec in plan_pages(site, wanted.__contains__, bodies):
            records = tuple(search_records(spec, files=files)) if search else ()
            key = value_key(layouts, spec) if store.enabled else ""
            known = store.get("pages", key) if key else None
            old = previous / urls.output_file(spec.route)
            if known is not None and _unchanged(old, previous, known):
                done.append(Page(spec.route, b"", spec.origin, key, known, previous, records))
                continue
            try:
                data = templates.render(env, spec, root).encode("utf-8")
            except templates.TemplateFailed as exc:
                failed.append(exc.diagnostic)
                continue
            digest = hashlib.sha256(data).hexdigest() if key else ""
            done.append(Page(spec.route, data, spec.origin, key, digest, records=records))
        return done, failed

    routes = page_routes(site)
    chunks = parallel.chunked(routes, jobs)
    finished, failures = 0, dict[Diagnostic, None]()  # in page order, each once
    results = parallel.ordered_map(task, chunks, jobs)
    for chunk, (pages, failed) in zip(chunks, results, strict=True):
        failures.update(dict.fromkeys(failed))
        for page in pages:
            if page.key:
                store.put("pages", page.key, page.digest)
            yield page
        finished += len(chunk)
        if progress is not None:
            progress(finished, len(routes))
    diags.extend(failures)


def _unchanged(path: Path, previous: Path, digest: str) -> bool:
    """Whether the file at ``path`` (a regular file, not a link, inside ``previous`` with
    every link on the way followed) has the SHA-256 ``digest``."""
    try:
        if not path.is_file() or path.is_symlink() or not inside(path, previous):
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False
