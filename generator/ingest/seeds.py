"""Seeds: the raw pages in ``seeds/``, which of them no article claims, and ingesting those.

A seed is matched to its article by the sha256 recorded in the article's
``seed:`` key, so an article is never written twice and never overwritten:
once ingested, the article is the editor's.  ``build`` and ``check`` only
*report* unclaimed seeds (:func:`report_unclaimed`), never ingest them, so
deleting an article never brings it back; ``digest ingest`` with no path and a
running ``digest serve`` call :func:`ingest_seeds`.  A seed that cannot be
cleaned is reported as a warning naming the file, and the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shlex
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from generator.content import SiteConfig
from generator.diagnostics import Diagnostics, Location, Severity
from generator.ingest.emit import seed_hashes, write_article
from generator.ingest.errors import IngestError

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


def unclaimed_seeds(config: SiteConfig) -> list[Path]:
    """The seeds whose sha256 no article's ``seed:`` key records, in a stable order."""
    seeds = seed_paths(config)
    if not seeds:
        return []
    known = seed_hashes(config.content_dir / "articles")
    return [seed for seed in seeds if _sha256(seed) not in known]


def report_unclaimed(config: SiteConfig, diags: Diagnostics, skip: Collection[Path] = ()) -> None:
    """Add a ``warning[unclaimed-seed]`` for each seed no article claims (writes nothing)."""
    for seed in unclaimed_seeds(config):
        if seed in skip:
            continue  # an ingest of it was just tried, and said why it failed
        relative = seed.relative_to(config.root).as_posix()
        quoted = shlex.quote(relative)
        diags.warning(
            Location(relative),
            "unclaimed-seed",
            "no article claims this seed, so it is not published",
            f"run `digest ingest {quoted}` to make it an article, "
            f"or `git rm {quoted}` if its article was removed on purpose",
        )


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def ingest_seeds(
    config: SiteConfig, today: dt.date, diags: Diagnostics, only: Collection[Path] | None = None
) -> tuple[Ingested, ...]:
    """Ingest the seeds no article records yet (of ``only``, if given); return what was written.

    A seed that cannot be ingested adds a warning naming it; the others go on.
    """
    from generator.ingest.extract import extract_path  # here: builds only report seeds

    articles_dir = config.content_dir / "articles"
    written = []
    for seed in unclaimed_seeds(config):
        if only is not None and seed not in only:
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
