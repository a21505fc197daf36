"""Stage 0 of a build: ingest every raw page in ``seeds/`` that has no article yet.

A seed is matched to its article by the sha256 recorded in the article's
``seed:`` key, so an article is never written twice and never overwritten:
once ingested, the article is the editor's.  A seed that cannot be cleaned is
reported as a warning naming the file, and the build goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator.content import SiteConfig
from generator.diagnostics import Diagnostics, Severity
from generator.ingest.emit import seed_hashes, write_article
from generator.ingest.errors import IngestError
from generator.ingest.extract import extract_path

IGNORED = {".gitkeep", ".DS_Store"}


@dataclass(frozen=True, slots=True)
class Ingested:
    """A seed turned into a new article file."""

    seed: str
    article: str
    title: str


def seed_paths(config: SiteConfig) -> list[Path]:
    """Every raw page in ``seeds/``, in a stable order."""
    folder = config.seeds_dir
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.name not in IGNORED
        and not p.name.startswith(".")
        and not p.name.upper().startswith("README")
    )


def ingest_seeds(config: SiteConfig, today: dt.date, diags: Diagnostics) -> tuple[Ingested, ...]:
    """Ingest the seeds that no article records yet; return what was written."""
    seeds = seed_paths(config)
    if not seeds:
        return ()
    articles_dir = config.content_dir / "articles"
    known = seed_hashes(articles_dir)
    written = []
    for seed in seeds:
        if hashlib.sha256(seed.read_bytes()).hexdigest() in known:
            continue
        relative = seed.relative_to(config.root).as_posix()
        try:
            extraction = extract_path(seed)
            path = write_article(extraction, articles_dir, seed_path=relative, today=today)
        except IngestError as error:
            diags.add(replace(error.diagnostic, severity=Severity.WARNING))
            continue
        shown = path.relative_to(config.root).as_posix()
        written.append(Ingested(relative, shown, extraction.title))
    return tuple(written)
