"""write_article never overwrites; update_article keeps the editor's keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
import yaml

from generator.ingest import (
    IngestError,
    apply_update,
    extract_path,
    plan_update,
    seed_hashes,
    write_article,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2024, 3, 5)


def test_write_article_front_matter(tmp_path: Path) -> None:
    extraction = extract_path(FIXTURES / "dump.txt")
    path = write_article(
        extraction,
        tmp_path,
        seed_path="seeds/dump.txt",
        tags=["libraries"],
        topics=["cities"],
        today=TODAY,
    )
    assert path == tmp_path / "harbour-city-opens-its-first-floating-library.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Harbour city opens its first floating library\n")
    head, _, body = text[4:].partition("---\n\n")
    meta = yaml.safe_load(head)
    assert list(meta) == [
        "title",
        "date",
        "outlet",
        "authors",
        "published",
        "retrieved",
        "tags",
        "topics",
        "images",
        "seed",
    ]
    assert meta["date"] == TODAY
    assert meta["published"] == dt.date(2024, 3, 4)
    assert meta["authors"] == ["Mara Lindqvist", "Tomas Berg"]
    body_hash = hashlib.sha256(extraction.body.strip().encode("utf-8")).hexdigest()
    assert meta["seed"] == {
        "path": "seeds/dump.txt",
        "sha256": extraction.sha256,
        "body_sha256": body_hash,
    }
    assert meta["images"][0]["credit"] == "Port Press Agency"
    assert body == extraction.body + "\n"
    assert seed_hashes(tmp_path) == {extraction.sha256: path}


def test_never_overwrites(tmp_path: Path) -> None:
    extraction = extract_path(FIXTURES / "dump.txt")
    first = write_article(extraction, tmp_path, seed_path="a.txt", today=TODAY)
    with pytest.raises(IngestError) as caught:
        write_article(extraction, tmp_path, seed_path="a.txt", today=TODAY)
    assert caught.value.diagnostic.code == "ingest-exists"
    other = dataclasses.replace(extraction, sha256="0" * 64)
    second = write_article(other, tmp_path, seed_path="b.txt", today=TODAY)
    assert second.name == first.stem + "-2.md"
    assert first.read_text(encoding="utf-8").count("a.txt") == 1


def test_hostile_title_stays_inside(tmp_path: Path) -> None:
    extraction = dataclasses.replace(extract_path(FIXTURES / "dump.txt"), title="../../etc/passwd")
    path = write_article(extraction, tmp_path, seed_path=None, today=TODAY)
    assert path.parent == tmp_path
    assert path.name == "etc-passwd.md"


def test_unknown_outlet_uses_host(tmp_path: Path) -> None:
    extraction = dataclasses.replace(
        extract_path(FIXTURES / "dump.txt"), outlet="", source_url="https://www.news.example/a"
    )
    path = write_article(extraction, tmp_path, seed_path=None, today=TODAY)
    assert "outlet: news.example\n" in path.read_text(encoding="utf-8")


def test_update_changes_only_the_body_and_the_seed_hash(tmp_path: Path) -> None:
    extraction = extract_path(FIXTURES / "dump.txt")
    path = write_article(extraction, tmp_path, seed_path="seeds/dump.txt", today=TODAY)
    edited = path.read_text(encoding="utf-8")
    edited = edited.replace(
        "title: Harbour city opens its first floating library", "title: A library afloat"
    )
    edited = edited.replace("date: 2024-03-05", "date: 2024-03-09\nsummary: Books on the water.")
    edited = edited.replace("The city council opened", "The council opened")
    path.write_text(edited, encoding="utf-8")
    update = plan_update(path, extraction)
    assert update.body_changed and update.old == edited
    assert update.new == edited.replace("The council opened", "The city council opened")
    assert path.read_text(encoding="utf-8") == edited
    apply_update(update)
    assert path.read_text(encoding="utf-8") == update.new
    assert not plan_update(path, extraction).changed
