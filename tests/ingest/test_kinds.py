"""One small page per kind of extraction fault (issue 14), with its exact cleaned article.

Each ``fixtures/kinds/<case>.txt`` (or ``.html``) is ingested as a seed and the written
article (front matter and body) must equal ``fixtures/kinds/<case>.md``.  The cases are
made-up pages of made-up outlets: they pin a kind of page structure, not one site.
``pytest --update-golden`` rewrites the expectations (review the diff).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.ingest import extract_path, write_article

KINDS = Path(__file__).parent / "fixtures" / "kinds"
CASES = sorted(p for p in KINDS.iterdir() if p.suffix in {".txt", ".html"})
TODAY = dt.date(2025, 3, 5)


@pytest.mark.parametrize("page", CASES, ids=lambda p: p.name)
def test_kind(page: Path, tmp_path: Path, update_golden: bool) -> None:
    extraction = extract_path(page)
    written = write_article(extraction, tmp_path, seed_path=f"seeds/{page.name}", today=TODAY)
    expected = page.with_suffix(".md")
    text = written.read_text(encoding="utf-8")
    if update_golden:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
