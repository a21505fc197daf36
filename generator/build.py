"""``build()``: the whole pipeline, read top to bottom.

config -> load -> taxonomy -> views -> templates -> write.  Every stage
collects its diagnostics; the first stage that found errors stops the build
with :class:`~generator.diagnostics.BuildFailed`, before ``output/`` is touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import templates, urls, views
from generator.config import SiteConfig, load_config
from generator.diagnostics import Diagnostic, Diagnostics
from generator.load import load_content
from generator.taxonomy import Site, make_site
from generator.viewmodels import PageSpec
from generator.write import SiteWriter, WriteConflict

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
    site_dir: Path, output: Path | None = None, progress: Progress | None = None
) -> BuildReport:
    """Build the site in ``site_dir`` into ``output`` (default ``site_dir/output``)."""
    started = time.perf_counter()
    diags = Diagnostics()
    config = load_config(site_dir, diags)
    diags.raise_if_errors()
    assert config is not None
    site = make_site(config, load_content(config.root, diags), diags)
    diags.raise_if_errors()
    pages = list(views.plan(site))
    target = output if output is not None else config.root / "output"
    render_and_write(site, pages, target, diags, progress)
    return BuildReport(
        output=target,
        pages=len(pages),
        articles=len(site.articles),
        tags=len(site.tags),
        topics=len(site.topics),
        seconds=time.perf_counter() - started,
        warnings=diags.sorted(),
    )


def render_and_write(
    site: Site,
    pages: Sequence[PageSpec],
    output: Path,
    diags: Diagnostics,
    progress: Progress | None = None,
) -> None:
    """Render every page into a staging folder; swap it into ``output`` if all went well."""
    config = site.config
    env = templates.environment(config.layouts_dir)
    failed: set[Diagnostic] = set()
    with SiteWriter(output) as writer:
        _copy_static(config, writer)
        writer.write(PurePosixPath(".nojekyll"), b"", "build")
        for done, spec in enumerate(pages, start=1):
            try:
                html = templates.render(env, spec, config.root)
                writer.write(urls.output_path(spec.route), html.encode("utf-8"), spec.origin)
            except (templates.TemplateFailed, WriteConflict) as exc:
                failed.add(exc.diagnostic)
            if progress is not None:
                progress(done, len(pages))
        diags.extend(failed)
        diags.raise_if_errors()
        writer.commit()


def _copy_static(config: SiteConfig, writer: SiteWriter) -> None:
    for layouts in reversed(templates.layout_dirs(config.layouts_dir)):
        static = layouts / "static"
        if static.is_dir():
            writer.copy_tree(static, PurePosixPath("static"))
