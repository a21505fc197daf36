"""write_article never overwrites; update_article keeps the editor's keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.ingest import IngestError, extract_path, seed_hashes, update_article, write_article

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
    assert meta["seed"] == {"path": "seeds/dump.txt", "sha256": extraction.sha256}
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


def test_update_keeps_editor_keys(tmp_path: Path) -> None:
    extraction = extract_path(FIXTURES / "dump.txt")
    path = write_article(extraction, tmp_path, seed_path="seeds/dump.txt", today=TODAY)
    edited = path.read_text(encoding="utf-8")
    edited = edited.replace(
        "title: Harbour city opens its first floating library", "title: A library afloat"
    )
    edited = edited.replace("date: 2024-03-05", "date: 2024-03-09\nsummary: Books on the water.")
    edited = edited.replace("The city council opened", "The council opened")
    path.write_text(
        edited.replace("retrieved: 2024-03-05\n", "retrieved: 2024-03-05\ntags:\n- boats\n"),
        encoding="utf-8",
    )
    old, new = update_article(path, extraction)
    assert old != new
    assert path.read_text(encoding="utf-8") == new
    meta = yaml.safe_load(new[4:].partition("---\n")[0])
    assert meta["title"] == "A library afloat"
    assert meta["date"] == dt.date(2024, 3, 9)
    assert meta["summary"] == "Books on the water."
    assert meta["tags"] == ["boats"]
    assert "The city council opened" in new
    assert meta["seed"]["path"] == "seeds/dump.txt"
    again_old, again_new = update_article(path, extraction)
    assert again_old == again_new
