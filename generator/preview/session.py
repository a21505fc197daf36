"""A build session: the same site built again and again, re-rendering only what changed.

``digest serve`` keeps one.  The first build is a full, atomic build.  After
that, parsed files and rendered bodies are cached, and an edit to an article
or its commentary re-renders that article, its neighbours and the list pages
it appears on; a change to ``site.yaml``, the layouts or the topic list
re-renders everything.  Files whose bytes did not change are not rewritten,
and pages that no longer exist are removed.  A build with errors writes
nothing, so the last good site stays in place.

The search records of re-rendered article pages replace their old ones, and after the
pages are written the records go to a background :class:`~generator.preview.indexer.
Indexer`, which rewrites the search index when what it indexes changed: an edited article
is searchable shortly after its rebuild, and no rebuild waits for Pagefind.
:meth:`Session.settle` waits for the index; :meth:`Session.close` stops the indexer.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from generator.annotations import AnchorCache, Annotations
from generator.build import load_sources, rendered
from generator.content import (
    ArticleCache,
    CommentaryCache,
    Content,
    SiteConfig,
    article_files,
    load_config,
    with_base_url,
)
from generator.diagnostics import BuildFailed, Diagnostic, Diagnostics
from generator.ingest import Ingested, ingest_seeds, report_unclaimed, seed_paths
from generator.preview.affected import affected_routes, everything_changed
from generator.preview.indexer import Indexer, IndexJob, Report, folder_id
from generator.preview.patch import Shape, grouped, patched, reloaded, touched
from generator.publish import PART_SIZE, SiteWriter, keep_bundle, output_problem, recover_output
from generator.render import (
    Bodies,
    SearchRecord,
    Site,
    export_files,
    export_routes,
    plan_pages,
    search_records,
    templates,
    urls,
)


class Superseded(Exception):
    """The sources changed while building; the result was thrown away."""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one rebuild did."""

    pages: int
    removed: int
    seconds: float
    full: bool
    warnings: tuple[Diagnostic, ...]
    ingested: tuple[Ingested, ...]


@dataclass(slots=True)
class _State:
    """The last good build: its inputs and the bytes it wrote, by output path."""

    config: SiteConfig
    layouts: tuple[tuple[str, int, int], ...]
    site: Site
    lists: dict[str, tuple[str, ...]]
    written: dict[str, str] = field(default_factory=dict)
    output_id: tuple[int, int] | None = None  # the output folder we wrote (device, inode)


class Session:
    """Builds one site into one output folder, incrementally after the first time."""

    def __init__(
        self,
        site_dir: Path,
        output: Path,
        base_url: str | None = None,
        on_index: Report | None = None,
        search_part_size: int = PART_SIZE,
    ) -> None:
        """``on_index`` is called from the indexer's thread after each index it makes,
        with its failure's diagnostics (``()`` when it worked); ``search_part_size`` is
        the most search records per part of the index."""
        self.site_dir = site_dir
        self.output = output
        self.base_url = base_url
        self.articles = ArticleCache()
        self.commentary = (CommentaryCache(), AnchorCache())  # files and anchoring kept
        self.bodies = Bodies()
        self.state: _State | None = None
        self.shape: Shape | None = None  # the last good build's grouped site
        self._env: tuple[tuple[tuple[str, int, int], ...], jinja2.Environment] | None = None
        self._seeds_stamp: object = None
        self.records: dict[str, tuple[SearchRecord, ...]] = {}  # by article route
        self._seen_seeds: frozenset[tuple[str, int, int]] | None = None
        self._unreported: tuple[Ingested, ...] = ()  # ingested by a build that did not finish
        self._write_lock = threading.Lock()  # held while output/ changes
        self.indexer = Indexer(self._write_lock, on_index)
        self.search_part_size = search_part_size

    def rebuild(self, still_current: Callable[[], bool] = lambda: True) -> Rebuilt:
        """Build what changed; raise BuildFailed (writing nothing) on errors.

        ``still_current`` is asked just before writing; if it says the sources
        changed meanwhile, nothing is written and :class:`Superseded` is raised.
        """
        started = time.perf_counter()
        diags = Diagnostics()
        config = self._config(diags)
        listed = article_files(config.root)
        new = self._ingest(config, diags, listed)
        if new:  # the listing changed: the new articles are in it now
            listed = article_files(config.root)
        ingested = self._unreported = self._unreported + new
        content = reloaded(self.shape, config.root, diags, self.articles, listed)
        content, annotations = load_sources(config, diags, content=content, kept=self.commentary)
        shape, wanted = self._shape(config, content, annotations, listed)
        diags.extend(shape.diagnostics)
        diags.raise_if_errors()
        site, lists, pages = shape.site, shape.lists, shape.pages
        layouts = _layout_stamp(config)
        full = self._needs_full(config, layouts, site)
        if full:
            self.bodies = Bodies()  # bodies depend on the config (editors, reproduce)
            self.records = {}
            wanted = everything_changed
        env = self._environment(config, layouts)
        files = self._render(site, pages, wanted, full, diags, env)
        diags.raise_if_errors()
        if not still_current():
            raise Superseded
        records = self._search_records(shape)
        with self._write_lock:
            written, removed = self._write(config, shape, files, full)
            output_id = folder_id(self.output)
        job = IndexJob(records, self.output, config.language, output_id, self.search_part_size)
        self.indexer.submit(job)
        self.bodies.keep_only(site)
        self.state = _State(config, layouts, site, lists, written, output_id)
        self.shape = shape
        self._unreported = ()
        seconds = time.perf_counter() - started
        return Rebuilt(len(files), removed, seconds, full, diags.sorted(), ingested)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def settle(self, timeout: float | None = None) -> None:
        """Wait until the search index matches the last rebuild (at most ``timeout``
        seconds); raise BuildFailed if indexing it failed."""
        failure = self.indexer.settle(timeout)
        if failure:
            raise BuildFailed(failure)

    def close(self) -> None:
        """Stop indexing: a Pagefind process under way is killed; waits for the thread."""
        self.indexer.close()

    def _config(self, diags: Diagnostics) -> SiteConfig:
        config = load_config(self.site_dir, diags)
        if config is not None and self.base_url:
            config = with_base_url(config, self.base_url, diags)
        if config is not None and self.state is None:
            problem = output_problem(self.output, config.root)
            if problem is not None:
                diags.add(problem)
            else:
                recover_output(self.output)  # after a killed build: output/ back, leftovers gone
        diags.raise_if_errors()
        if config is None:
            raise BuildFailed(diags.sorted())
        return config

    def _ingest(
        self, config: SiteConfig, diags: Diagnostics, files: list[str]
    ) -> tuple[Ingested, ...]:
        """Ingest the seeds that appeared (or changed) since the last build; report the rest.

        A seed already there when serve started, or whose article the editor deleted, is
        reported as unclaimed and never ingested again here (``digest ingest`` does that).
        """
        seeds = _stamp(seed_paths(config))
        stamp = (seeds, tuple(files))
        if stamp == self._seeds_stamp:
            return ()
        seen, self._seen_seeds = self._seen_seeds, frozenset(seeds)
        fresh = {Path(entry[0]) for entry in seeds if seen is not None and entry not in seen}
        ingested = ingest_seeds(config, config.today(), diags, only=fresh)
        report_unclaimed(config, diags, skip=fresh)
        self._seeds_stamp = None if ingested else stamp
        return ingested

    def _needs_full(
        self, config: SiteConfig, layouts: tuple[tuple[str, int, int], ...], site: Site
    ) -> bool:
        old = self.state
        return (
            old is None
            or self._output_foreign()
            or old.config != config
            or old.layouts != layouts
            or old.site.topics != site.topics
            or any(
                name != site.tag_names.get(slug, name) for slug, name in old.site.tag_names.items()
            )
        )

    def _output_foreign(self) -> bool:
        """Whether ``output/`` is not the folder the last build wrote: none yet, gone, or
        replaced by another build (``digest build`` swaps in a new folder); then it is
        rewritten whole, never patched page by page.
        """
        return self.state is None or folder_id(self.output) != self.state.output_id

    def _shape(
        self,
        config: SiteConfig,
        content: Content,
        annotations: Mapping[str, Annotations],
        listed: list[str],
    ) -> tuple[Shape, Callable[[str], bool]]:
        """The site (the last one patched when the edit keeps its shape) and the pages the
        edit touches (all, on the first build)."""
        if self.state is None or self.shape is None:
            return grouped(config, content, annotations, listed), everything_changed
        found = patched(self.shape, config, content, annotations, listed)
        if found is not None:
            return found[0], touched(*found).__contains__
        shape = grouped(config, content, annotations, listed)
        state = self.state
        return shape, affected_routes(state.site, shape.site, state.lists, shape.lists).__contains__

    def _environment(
        self, config: SiteConfig, layouts: tuple[tuple[str, int, int], ...]
    ) -> jinja2.Environment:
        """The Jinja environment, kept with its compiled templates while layouts are unchanged."""
        if self._env is None or self._env[0] != layouts:
            self._env = (layouts, templates.environment(config.layouts_dir))
        return self._env[1]

    def _render(
        self,
        site: Site,
        pages: list[str],
        wanted: Callable[[str], bool],
        full: bool,
        diags: Diagnostics,
        env: jinja2.Environment,
    ) -> dict[str, tuple[bytes, str]]:
        """The bytes and origin of every page and file ``wanted`` (all, if ``full``), by
        output path; ``pages`` are the site's page routes."""
        specs = list(plan_pages(site, wanted, self.bodies))
        files = {}
        for spec, html in rendered(site, specs, diags, env=env):
            files[urls.output_file(spec.route)] = (html.encode("utf-8"), spec.origin)
            found = tuple(search_records(spec, files=site.config.file_links))
            if found:  # article pages only
                self.records[spec.route] = found
        for item in export_files(site, pages, None if full else wanted):
            files[urls.output_file(item.route)] = (item.data, item.origin)
        return files

    def _search_records(self, shape: Shape) -> list[SearchRecord]:
        """Every article's search records, in the order a full build indexes them."""
        routes = shape.article_routes()
        if len(self.records) != len(routes):  # articles left (each live one has an entry)
            live = set(routes)
            self.records = {r: found for r, found in self.records.items() if r in live}
        return [r for route in routes for r in self.records.get(route, ())]

    def _write(
        self, config: SiteConfig, shape: Shape, files: dict[str, tuple[bytes, str]], full: bool
    ) -> tuple[dict[str, str], int]:
        if self.state is None or self._output_foreign():
            return _write_all(config, files, self.output), 0
        written = dict(self.state.written)
        if full:
            files = {**_static_files(config), **files}
        for path, (data, _origin) in files.items():
            digest = hashlib.sha1(data).hexdigest()
            if written.get(path) != digest:
                _replace_file(self.output / path, data)
                written[path] = digest
        exported = {urls.output_file(r) for r in export_routes(shape.site, shape.pages)}
        live = shape.page_files() | exported | (set(_static_files(config)) if full else set())
        return _remove_stale(self.output, written, live, keep_static=not full)


def _layout_stamp(config: SiteConfig) -> tuple[tuple[str, int, int], ...]:
    dirs = templates.layout_dirs(config.layouts_dir)
    return _stamp([folder / name for folder in dirs for name in templates.layout_files(folder)])


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_file():
            stamps.append((path.as_posix(), info.st_mtime_ns, info.st_size))
    return tuple(stamps)


def _static_files(config: SiteConfig) -> dict[str, tuple[bytes, str]]:
    return {".nojekyll": (b"", "build"), **templates.static_files(config.layouts_dir)}


def _write_all(
    config: SiteConfig,
    files: dict[str, tuple[bytes, str]],
    output: Path,
) -> dict[str, str]:
    """Write the whole site as a new output folder, keeping the last one's search index
    (the indexer brings it up to date)."""
    everything = {**_static_files(config), **files}
    with SiteWriter(output) as writer:
        for path, (data, origin) in everything.items():
            writer.write(PurePosixPath(path), data, origin)
        keep_bundle(output, writer.staging)
        writer.commit()
    return {path: hashlib.sha1(data).hexdigest() for path, (data, _) in everything.items()}


def _replace_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".digest-", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(temp, 0o644)
    os.replace(temp, target)


def _remove_stale(
    output: Path, written: dict[str, str], live: Set[str], keep_static: bool
) -> tuple[dict[str, str], int]:
    kept = ("static/", ".nojekyll") if keep_static else (".nojekyll",)
    stale = [p for p in written if p not in live and not p.startswith(kept)]
    for path in stale:
        (output / path).unlink(missing_ok=True)
        del written[path]
        _prune_empty(output, (output / path).parent)
    return written, len(stale)


def _prune_empty(output: Path, folder: Path) -> None:
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
