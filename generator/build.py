"""``build()``: the whole pipeline, read top to bottom.

config -> load -> taxonomy -> bodies -> pages -> write -> search.  Every stage
collects its diagnostics; the first stage that found errors stops the build
with :class:`~generator.diagnostics.BuildFailed`, before ``output/`` is touched.

``build`` and ``check`` are pure: they read ``site.yaml``, ``content/``,
``layouts/`` (and ``seeds/``, only to report the seeds no article claims) and
write nothing but ``output/`` and the build cache; they never create or change an
editor's file.  Loading, anchoring, bodies and pages go through the build cache
(``generator.cache``); bodies and pages are rendered by worker processes.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator.annotations import AnchorCache, Annotations, annotate
from generator.cache import (
    CachedArticles,
    Page,
    Store,
    annotate_cached,
    open_store,
    remember_pages,
    render_pages,
)
from generator.content import (
    ArticleCache,
    CommentaryCache,
    Content,
    SiteConfig,
    article_files,
    load_commentary,
    load_config,
    load_content,
    with_base_url,
)
from generator.diagnostics import BuildFailed, Diagnostic, Diagnostics, Location, Severity
from generator.ingest import report_unclaimed
from generator.publish import (
    PART_SIZE,
    SearchFailed,
    SiteWriter,
    Spool,
    WriteConflict,
    check_links,
    domain_problem,
    index_records,
    output_problem,
    recover_output,
)
from generator.render import (
    FileSpec,
    PageSpec,
    SearchRecord,
    Site,
    export_files,
    make_site,
    page_routes,
    parallel,
    templates,
    urls,
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a successful build did."""

    output: Path
    pages: int
    articles: int
    tags: int
    topics: int
    seconds: float
    warnings: tuple[Diagnostic, ...]


def build(
    site_dir: Path,
    output: Path | None = None,
    *,
    progress: Progress | None = None,
    base_url: str | None = None,
    jobs: int | None = None,
    cache: bool = True,
    search: bool = True,
    search_part_size: int = PART_SIZE,
) -> BuildReport:
    """Build the site in ``site_dir`` into ``output`` (default ``site_dir/output``).

    ``base_url`` overrides the address in ``site.yaml`` (as CI does for GitHub Pages).
    ``jobs`` is the number of processes that render (default: one per core, fewer for a
    small site; 1 renders in this process) and of search parts indexed at once.
    ``cache=False`` neither reads nor writes ``.digest-cache/``; ``search=False`` leaves
    the search index out; ``search_part_size`` is the most search records per part.
    """
    started = time.perf_counter()
    diags = Diagnostics()
    config = load_config(site_dir, diags)
    if config is not None and base_url is not None:
        config = with_base_url(config, base_url, diags)
    diags.raise_if_errors()
    assert config is not None
    target = output if output is not None else config.root / "output"
    if output_problem(target, config.root) is None:
        recover_output(target)  # a killed build may have left output/ half swapped
    report_unclaimed(config, diags)
    store = open_store(config.root, cache)
    site = load_site(config, diags, store=store, jobs=jobs)
    diags.raise_if_errors()
    problem = output_problem(target, config.root)
    if problem is not None:
        raise BuildFailed((problem,))
    routes = page_routes(site)
    pages = render_pages(site, store, jobs, target, diags, progress, search, routes)
    files = export_files(site, routes)
    parts = search_part_size if search else None
    workers = parallel.worker_count(jobs, len(site.articles))
    with contextlib.closing(pages):  # an error or Ctrl-C while writing: the workers end here
        written, fresh = render_and_write(site, pages, files, target, diags, parts, workers)
    remember_pages(store, fresh, target)
    store.save()
    return BuildReport(
        output=target,
        pages=written,
        articles=len(site.articles),
        tags=len(site.tags),
        topics=len(site.topics),
        seconds=time.perf_counter() - started,
        warnings=diags.sorted(),
    )


def load_site(
    config: SiteConfig,
    diags: Diagnostics,
    cache: ArticleCache | None = None,
    store: Store | None = None,
    files: list[str] | None = None,
    jobs: int | None = 1,
) -> Site:
    """Load content and commentary, anchor the notes (by ``jobs`` workers; ``None``: as
    many as pay), group tags and topics.

    With a ``store``, unchanged article files and anchoring come from the build cache;
    ``files`` is the article listing when the caller already made it.
    """
    content, annotations = load_sources(config, diags, cache, store, files, jobs=jobs)
    return make_site(config, content, diags, annotations)


def load_sources(
    config: SiteConfig,
    diags: Diagnostics,
    cache: ArticleCache | None = None,
    store: Store | None = None,
    files: list[str] | None = None,
    content: Content | None = None,
    kept: tuple[CommentaryCache, AnchorCache] | None = None,
    jobs: int | None = 1,
) -> tuple[Content, dict[str, Annotations]]:
    """:func:`load_site` up to the grouping: the content (unless given) and the anchored
    notes by slug, anchored by ``jobs`` workers (``None``: as many as pay).  ``kept``: the
    commentary files and anchoring a long-running caller (``digest serve``) keeps from one
    build to the next."""
    if content is None:
        files = article_files(config.root) if files is None else files
        if cache is None and store is not None and store.enabled:
            cache = CachedArticles(store)
        content = load_content(config.root, diags, cache, files)
    slugs = frozenset(article.slug for article in content.articles)
    unreadable = {Path(path).stem for path in content.failed}
    if kept is not None:
        commentary = load_commentary(config, slugs, diags, unreadable, kept[0])
        return content, annotate(content.articles, commentary, diags, kept[1])
    commentary = load_commentary(config, slugs, diags, unreadable)
    store = store if store is not None else open_store(config.root, enabled=False)
    return content, annotate_cached(store, content.articles, commentary, diags, jobs)


def render_and_write(
    site: Site,
    pages: Iterable[Page],
    files: Iterable[FileSpec],
    output: Path,
    diags: Diagnostics,
    search: int | None = PART_SIZE,
    search_jobs: int = 1,
) -> tuple[int, list[Page]]:
    """Write every page into a staging folder, index it for search (in parts of ``search``
    records at most, ``search_jobs`` parts at once; ``None``: no index), swap it into
    ``output`` if all went well; return the number of pages and those written anew (not
    linked), as route, origin and cache key only (no bytes, no records)."""
    config = site.config
    with SiteWriter(output, recycle=True) as writer:
        for path, (data, origin) in templates.static_files(config.layouts_dir).items():
            writer.write(PurePosixPath(path), data, origin)
        writer.write(PurePosixPath(".nojekyll"), b"", "build")
        for item in files:
            writer.write(urls.output_path(item.route), item.data, item.origin)
        # the search records go to a file as they come, and are read back a part at a time
        with Spool(writer.staging) as records:
            count, fresh = 0, []
            for page in pages:
                count += 1
                if search is not None:
                    records.add(page.records)
                if not _write_page(writer, page, diags) and page.key:
                    # only what remember_pages reads: holding every page's bytes until the
                    # end would keep the whole site in memory (~24 KB an article)
                    fresh.append(Page(page.route, b"", page.origin, page.key))
            diags.raise_if_errors()
            if search is not None:
                index_search(records, writer.staging, config, diags, output, search, search_jobs)
        writer.commit()
    return count, fresh


def _write_page(writer: SiteWriter, page: Page, diags: Diagnostics) -> bool:
    """Write (or link) one page; whether it is the last build's file, linked."""
    where = urls.output_file(page.route)
    try:
        if page.previous is not None:
            return writer.keep(where, os.path.join(page.previous, where), page.origin, page.file)
        writer.write(where, page.data, page.origin)
    except WriteConflict as exc:
        diags.add(exc.diagnostic)
    return False


def index_search(
    records: Sequence[SearchRecord] | Spool,
    folder: Path,
    config: SiteConfig,
    diags: Diagnostics,
    previous: Path | None = None,
    part_size: int = PART_SIZE,
    jobs: int = 1,
) -> int:
    """Index ``records`` into ``folder/pagefind/`` in parts, ``jobs`` at once, reusing each
    part of ``previous`` made from the same records; a failure ends the build.  Returns
    the number of parts Pagefind indexed."""
    try:
        return index_records(
            records, folder, config.language, previous, part_size=part_size, jobs=jobs
        )
    except SearchFailed as exc:
        diags.add(exc.diagnostic)
    diags.raise_if_errors()
    return 0


def rendered(
    site: Site,
    pages: Sequence[PageSpec],
    diags: Diagnostics,
    progress: Progress | None = None,
    env: jinja2.Environment | None = None,
) -> Iterator[tuple[PageSpec, str]]:
    """Render each page; a template mistake is recorded once (with the pages it broke),
    and its pages skipped."""
    env = env or templates.environment(site.config.layouts_dir)
    failed: list[tuple[Diagnostic, str]] = []  # in page order
    for done, spec in enumerate(pages, start=1):
        try:
            yield spec, templates.render(env, spec, site.config.root)
        except templates.TemplateFailed as exc:
            failed.append((exc.diagnostic, exc.route))
        if progress is not None:
            progress(done, len(pages))
    diags.extend(templates.one_per_mistake(failed))


def check(
    site_dir: Path, strict: bool = False, base_url: str | None = None, jobs: int | None = None
) -> tuple[Diagnostic, ...]:
    """Validate content, commentary and templates without writing anything, and the
    links of the last build in ``output/`` when there is one.

    With ``strict``, every warning counts as an error (for CI).  The build cache is read,
    never written: a page the last build wrote from the same inputs (its file in
    ``output/`` unchanged) rendered then, so it is not rendered again; the other pages
    are rendered, and the links parsed, by ``jobs`` worker processes (``None``: as many
    as pay).
    """
    diags = Diagnostics()
    config = load_config(site_dir, diags)
    if config is not None and base_url is not None:
        config = with_base_url(config, base_url, diags)
    if config is not None and not diags.has_errors:
        problem = domain_diagnostic(config)
        if problem is not None:
            diags.add(problem)
        report_unclaimed(config, diags)
        store = open_store(config.root)  # read only: never saved
        site = load_site(config, diags, store=store, jobs=jobs)
        output = config.root / "output"
        if not diags.has_errors:
            for _ in render_pages(site, store, jobs, output, diags, search=False):
                pass
        if output.is_dir():
            found = check_links(output, config.base_path, _link_mapper(jobs))
            diags.extend(_in_folder(d, output) for d in found)
    found = diags.sorted()
    return tuple(promote(d) for d in found) if strict else found


def _link_mapper(jobs: int | None) -> Callable[..., Iterable[Any]]:
    """The link check's pages parsed by ``jobs`` worker processes (``None``: one per core)."""

    def mapper(task: Callable[[Sequence[str]], Any], pieces: Sequence[Sequence[str]]) -> Any:
        workers = parallel.worker_count(jobs, sum(map(len, pieces)))
        return parallel.ordered_map(task, pieces, workers)

    return mapper


def domain_diagnostic(config: SiteConfig) -> Diagnostic | None:
    """An error at site.yaml's ``domain:`` line when it is not ``base_url``'s host."""
    problem = domain_problem(config.base_url, config.domain)
    return replace(problem, location=_key_location(config, "domain")) if problem else None


def _key_location(config: SiteConfig, key: str) -> Location:
    """Where ``key:`` starts in ``site.yaml`` (line 1 if it cannot be found)."""
    path = config.root / "site.yaml"
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 1)
    return Location(path.as_posix(), line, 1)


def _in_folder(diagnostic: Diagnostic, folder: Path) -> Diagnostic:
    where = diagnostic.location
    return replace(diagnostic, location=replace(where, path=(folder / where.path).as_posix()))


def promote(diagnostic: Diagnostic) -> Diagnostic:
    """The same diagnostic as an error."""
    return replace(diagnostic, severity=Severity.ERROR)
