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
from generator.diagnostics import Diagnostic, Diagnostics
from generator.render import Bodies, Site, page_routes, parallel, plan_pages, templates, urls

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Page:
    """One rendered page: its route, bytes and origin, and its cache key and hash."""

    route: str
    data: bytes
    origin: str
    key: str
    digest: str


def render_pages(
    site: Site,
    bodies: Bodies,
    store: Store,
    jobs: int,
    previous: Path,
    diags: Diagnostics,
    progress: Progress | None = None,
) -> Iterator[Page]:
    """Every page of ``site`` in plan order, rendered (or reused from ``previous``).

    A template error is recorded in ``diags`` once and its page skipped.
    """
    root = site.config.root
    env = templates.environment(site.config.layouts_dir)
    layouts = folder_stamp(templates.layout_dirs(site.config.layouts_dir)) if store.enabled else ""
    store.preload("pages")  # once here, not once in every worker

    def task(chunk: Sequence[str]) -> tuple[list[Page], set[Diagnostic]]:
        wanted, done, failed = frozenset(chunk), [], set()
        for spec in plan_pages(site, wanted.__contains__, bodies):
            key = value_key(layouts, spec) if store.enabled else ""
            data = _previous(previous, spec.route, store.get("pages", key)) if key else None
            if data is None:
                try:
                    data = templates.render(env, spec, root).encode("utf-8")
                except templates.TemplateFailed as exc:
                    failed.add(exc.diagnostic)
                    continue
            digest = hashlib.sha256(data).hexdigest() if key else ""
            done.append(Page(spec.route, data, spec.origin, key, digest))
        return done, failed

    routes = page_routes(site)
    chunks = parallel.chunked(routes, jobs)
    finished, failures = 0, set[Diagnostic]()
    results = parallel.ordered_map(task, chunks, jobs)
    for chunk, (pages, failed) in zip(chunks, results, strict=True):
        failures |= failed
        for page in pages:
            if page.key:
                store.put("pages", page.key, page.digest)
            yield page
        finished += len(chunk)
        if progress is not None:
            progress(finished, len(routes))
    diags.extend(failures)


def _previous(folder: Path, route: str, digest: str | None) -> bytes | None:
    if digest is None:
        return None
    try:
        data = (folder / urls.output_file(route)).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None
