"""Ingest: raw news pages (text dumps, HTML, URLs) into cleaned article files.

Public API::

    extract_path(path) / extract_bytes(data, source, content_type) -> Extraction
    fetch_url(url) -> (data, final_url, content_type)
    write_article(extraction, articles_dir, ...) -> Path
    plan_update(path, extraction) -> Update      body and seed hashes only; apply_update(update)
    seed_hashes(articles_dir) -> {sha256: path}
    unclaimed_seeds(config) -> [Path]           seeds no article claims
    report_unclaimed(config, diags)             warning[unclaimed-seed] for each (build, check)
    ingest_seeds(config, today, diags) -> [Ingested]   `digest ingest` (no path) and serve

Every problem a user can cause raises :class:`IngestError` carrying a Diagnostic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from generator.ingest.emit import seed_hashes, write_article
from generator.ingest.errors import IngestError
from generator.ingest.result import Extraction, RemovedLine
from generator.ingest.seeds import (
    Ingested,
    ingest_seeds,
    report_unclaimed,
    seed_paths,
    unclaimed_seeds,
)
from generator.ingest.update import Update, apply_update, plan_update

if TYPE_CHECKING:
    from generator.ingest.extract import extract_bytes, extract_path
    from generator.ingest.fetch import fetch_url

# Extraction and fetching load on first use: a build only reports seeds, and the
# extractors' libraries would cost every command a tenth of a second to import.
_LAZY = {
    "extract_bytes": "generator.ingest.extract",
    "extract_path": "generator.ingest.extract",
    "fetch_url": "generator.ingest.fetch",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "Extraction",
    "IngestError",
    "Ingested",
    "RemovedLine",
    "Update",
    "apply_update",
    "extract_bytes",
    "extract_path",
    "fetch_url",
    "ingest_seeds",
    "plan_update",
    "report_unclaimed",
    "seed_hashes",
    "seed_paths",
    "unclaimed_seeds",
    "write_article",
]
