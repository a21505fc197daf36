"""The build indexes the site's search records, reuses an index of unchanged records, and
a failed index fails the build cleanly."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import BuildFailed, Diagnostic, Severity
from generator.preview.session import Session
from generator.publish import Spool, plan_parts
from generator.publish.pagefind import executable
from generator.publish.parts import Searchable
from generator.render import SearchRecord
from tests.conftest import SAMPLE
from tests.preview import wait_for
from tests.treediff import files, superseded_parts


def errors(failed: BuildFailed) -> list[Diagnostic]:
    return [d for d in failed.diagnostics if d.severity is Severity.ERROR]


def parts(output: Path) -> list[Path]:
    """The folders of the parts of the index, as ``pagefind/parts.json`` lists them."""
    listing = json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    return [output / "pagefind" / name for name in listing["parts"]]


def indexed_text(output: Path) -> str:
    """Every fragment of the index (the text, title and URL of each record), joined."""
    fragments = sorted(f for part in parts(output) for f in (part / "fragment").iterdir())
    return "\n".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in fragments)


def listed_files(output: Path) -> dict[str, bytes]:
    """The files of ``pagefind/`` that its ``parts.json`` lists (and that file itself)."""
    old = tuple(name.removeprefix("pagefind/") for name in superseded_parts(output))
    return files(output / "pagefind", old)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


def test_build_writes_a_search_index_of_article_texts_and_notes(tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "out")
    (bundle,) = parts(tmp_path / "out")  # a small site is one part
    assert (bundle / "pagefind.js").is_file()
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own interface is not shipped
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    commented = len(list((SAMPLE / "content" / "commentary").glob("*.md")))
    assert entry["languages"]["en"]["page_count"] == 6 + commented  # texts, then notes
    text = indexed_text(tmp_path / "out")
    assert '"url":"articles/cafe-culture-paris/#commentary-heading"' in text  # links: clean
    assert "licences" in text  # the café article's note
    page = tmp_path / "out" / "articles" / "cafe-culture-paris" / "index.html"
    assert 'id="commentary-heading"' in page.read_text(encoding="utf-8")  # the notes' anchor
    assert "Ana Lima" not in text  # bylines are not indexed
    assert '"part":"Editors’ notes"' in text and '"part":"Article text"' in text


def test_an_unchanged_index_is_reused_and_a_changed_one_rewritten(site: Path) -> None:
    output = site / "output"
    build(site, output)
    before = (parts(output)[0] / "pagefind.js").stat().st_ino
    build(site, output)
    assert (parts(output)[0] / "pagefind.js").stat().st_ino == before  # linked, not rewritten
    article = site / "content" / "articles" / "tokyo-rail.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nZanzibar.\n", encoding="utf-8")
    build(site, output)
    assert "Zanzibar" in indexed_text(output)
    build(site, site / "fresh")
    assert files(site / "fresh" / "pagefind") == files(output / "pagefind")


def test_a_linked_or_edited_bundle_is_never_reused(site: Path, tmp_path: Path) -> None:
    output = site / "output"
    build(site, output)
    outside = tmp_path / "outside"
    shutil.copytree(output / "pagefind", outside)
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    (outside / "stolen.txt").symlink_to(tmp_path / "secret.txt")
    shutil.rmtree(output / "pagefind")
    (output / "pagefind").symlink_to(outside)
    build(site, output)
    assert not (output / "pagefind").is_symlink()
    assert not (output / "pagefind" / "stolen.txt").exists()
    linked = {f.stat().st_ino for f in outside.rglob("*") if f.is_file()}
    assert not linked & {f.stat().st_ino for f in (output / "pagefind").rglob("*") if f.is_file()}
    script = parts(output)[0] / "pagefind.js"
    script.write_text(script.read_text(encoding="utf-8") + "alert(1)", encoding="utf-8")
    build(site, output)
    assert "alert(1)" not in (parts(output)[0] / "pagefind.js").read_text(encoding="utf-8")
    build(site, site / "fresh")
    assert files(site / "fresh" / "pagefind") == files(output / "pagefind")


def _searchable(output: Path, word: str) -> bool:
    """Whether ``word`` is in the served index now (a swap under way reads as not yet)."""
    try:
        return word in indexed_text(output)
    except OSError:
        return False


def test_serve_makes_an_edited_article_searchable_after_its_rebuild(
    site: Path, tmp_path: Path
) -> None:
    served = tmp_path / "served"
    with Session(site, served) as session:
        session.rebuild()
        article = site / "content" / "articles" / "tokyo-rail.md"
        article.write_text(article.read_text(encoding="utf-8") + "\nZanzibar.\n", "utf-8")
        assert not session.rebuild().full
        wait_for(lambda: _searchable(served, "Zanzibar"), seconds=60)
        article.unlink()
        session.rebuild()
        wait_for(lambda: not _searchable(served, "tokyo-rail"), seconds=60)
        assert "Zanzibar" not in indexed_text(served)


def _fake_pagefind(folder: Path, script: str) -> Path:
    fake = folder / "fake-pagefind"
    fake.write_text(f"#!/bin/sh\necho $$ >> {folder / 'started'}\n{script}\n", "utf-8")
    fake.chmod(0o755)
    return fake


def _started(folder: Path) -> list[int]:
    log = folder / "started"
    return [int(n) for n in log.read_text().split()] if log.is_file() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_rebuild_never_waits_for_the_index_and_close_stops_the_indexer(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "exec sleep 600")))
    served = tmp_path / "served"
    session = Session(site, served)
    session.rebuild()  # Pagefind never answers, yet the pages are there
    article = site / "content" / "articles" / "tokyo-rail.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nZanzibar.\n", "utf-8")
    assert not session.rebuild().full
    assert "Zanzibar" in (served / "articles" / "tokyo-rail" / "index.html").read_text("utf-8")
    wait_for(lambda: len(_started(tmp_path)) == 1)
    session.close()
    assert not _alive(_started(tmp_path)[0])  # killed, and reaped
    assert not list(served.glob(".pagefind-*"))


def test_a_newer_edit_replaces_a_waiting_index(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = executable()
    gate = tmp_path / "go"
    script = f'while [ ! -e {gate} ]; do sleep 0.05; done\nexec {real} "$@"'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, script)))
    served = tmp_path / "served"
    article = site / "content" / "articles" / "tokyo-rail.md"
    text = article.read_text(encoding="utf-8")
    with Session(site, served) as session:
        session.rebuild()
        wait_for(lambda: len(_started(tmp_path)) == 1)  # the first index is held
        for word in ("Zanzibar", "Quixotic"):
            article.write_text(text + f"\n{word}.\n", encoding="utf-8")
            session.rebuild()
        gate.touch()
        session.settle()
    assert len(_started(tmp_path)) == 2  # the first, then the newest; never "Zanzibar"'s
    assert "Quixotic" in indexed_text(served) and "Zanzibar" not in indexed_text(served)
    build(site, tmp_path / "fresh")
    assert files(tmp_path / "fresh" / "pagefind") == listed_files(served)


def test_markup_in_a_record_reaches_the_index_as_text(site: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    article = site / "content" / "articles" / "tokyo-rail.md"
    text = article.read_text(encoding="utf-8").replace("outlet: NHK World", f'outlet: "{hostile}"')
    article.write_text(text, encoding="utf-8")
    build(site, site / "output")
    filters = b"".join(
        gzip.decompress(f.read_bytes())
        for part in parts(site / "output")
        for f in (part / "filter").iterdir()
    )
    assert hostile.encode() in filters  # the value as it is: search.js shows it as text


def test_a_failed_index_fails_the_build_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    build(SAMPLE, output)
    before = files(output)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(BuildFailed) as failed:
        build(SAMPLE, output)
    (diagnostic,) = errors(failed.value)
    assert diagnostic.code == "search-index"
    assert "Pagefind failed with exit code 1" in diagnostic.message
    assert "pagefind" in diagnostic.hint
    assert files(output) == before
    assert not list(tmp_path.glob(".out-new-*"))


def test_a_failed_index_in_serve_keeps_the_pages_and_is_reported(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    reported: list[tuple[Diagnostic, ...]] = []
    with Session(site, tmp_path / "served", on_index=reported.append) as session:
        session.rebuild()  # the pages are written; the index fails afterwards
        assert (tmp_path / "served" / "articles" / "tokyo-rail" / "index.html").is_file()
        with pytest.raises(BuildFailed) as failed:
            session.settle()
    assert [d.code for d in errors(failed.value)] == ["search-index"]
    assert [[d.code for d in failure] for failure in reported] == [["search-index"]]
    assert not list((tmp_path / "served").glob(".pagefind-*"))


def test_a_missing_pagefind_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failed:
        build(SAMPLE, tmp_path / "out")
    assert "not installed" in errors(failed.value)[0].message
    assert not (tmp_path / "out").exists()


def test_search_results_follow_the_sites_link_style(site: Path, tmp_path: Path) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "links: files\n", encoding="utf-8")
    build(site, tmp_path / "out")
    text = indexed_text(tmp_path / "out")
    assert '"url":"articles/cafe-culture-paris/index.html#commentary-heading"' in text


def _counting_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind itself, through a wrapper that logs each run (see :func:`_started`)."""
    wrapper = _fake_pagefind(tmp_path, f'exec {executable()} "$@"')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))


def _names(output: Path) -> set[str]:
    return {part.name for part in parts(output)}


def test_an_edited_added_or_deleted_article_reindexes_one_part(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of at most 3 records: the sample's 9 to 11 records make 4 (one may be empty)."""
    _counting_pagefind(tmp_path, monkeypatch)
    output = site / "output"
    build(site, output, search_part_size=3)
    assert len(_started(tmp_path)) == len(parts(output)) >= 3
    article = site / "content" / "articles" / "tokyo-rail.md"
    added = site / "content" / "articles" / "new-line.md"
    changes: list[Callable[[], object]] = [
        lambda: article.write_text(article.read_text("utf-8") + "\nZanzibar.\n", "utf-8"),
        lambda: added.write_text(article.read_text("utf-8").replace("Tokyo", "Osaka"), "utf-8"),
        lambda: (site / "content" / "articles" / "chip-exports.md").unlink(),
    ]
    for change in changes:
        before, runs = _names(output), len(_started(tmp_path))
        change()
        build(site, output, search_part_size=3)
        after = _names(output)
        assert len(after - before) == len(_started(tmp_path)) - runs <= 1  # Pagefind ran once
        assert len(before - after) <= 1 and before != after  # one part replaced, added or gone
        assert {name.split("-")[0] for name in before ^ after} == {
            name.split("-")[0] for name in after - before or before - after
        }  # the same part, if replaced
    assert "Zanzibar" in indexed_text(output) and "Osaka" in indexed_text(output)
    build(site, tmp_path / "fresh", search_part_size=3)
    assert files(tmp_path / "fresh" / "pagefind") == files(output / "pagefind")  # same bytes


def test_serve_reindexes_only_the_part_of_an_edited_article(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _counting_pagefind(tmp_path, monkeypatch)
    served = tmp_path / "served"
    article = site / "content" / "articles" / "tokyo-rail.md"
    with Session(site, served, search_part_size=3) as session:
        session.rebuild()
        session.settle()
        assert len(_started(tmp_path)) == len(parts(served)) >= 3
        old = {name: (served / "pagefind" / name).stat().st_ino for name in _names(served)}
        article.write_text(article.read_text("utf-8") + "\nZanzibar.\n", "utf-8")
        session.rebuild()
        session.settle()
        assert len(_started(tmp_path)) == len(old) + 1
        assert "Zanzibar" in indexed_text(served)
        kept = {name: (served / "pagefind" / name).stat().st_ino for name in _names(served)}
        assert len(kept.items() - old.items()) == 1  # three parts untouched
        assert set(old) <= {p.name for p in (served / "pagefind").iterdir()}  # still there
    build(site, tmp_path / "fresh", search_part_size=3)
    assert files(tmp_path / "fresh" / "pagefind") == listed_files(served)


def test_a_failed_part_stops_the_index_and_the_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "exit 3")))
    with pytest.raises(BuildFailed) as failed:
        build(site, site / "output", search_part_size=3)
    assert "exit code 3" in errors(failed.value)[0].message
    assert len(_started(tmp_path)) == 1  # the other parts were not started
    assert not (site / "output").exists()


def test_parts_indexed_two_at_once_give_the_same_bytes(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "one", search_part_size=3, jobs=1)
    build(site, tmp_path / "two", search_part_size=3, jobs=2)
    assert len(parts(tmp_path / "two")) >= 3
    assert files(tmp_path / "one") == files(tmp_path / "two")


def fields(record: Searchable) -> tuple[object, ...]:
    return (record.url, record.title, record.part, record.content, record.filters)


@pytest.mark.parametrize("part_size", [1, 3, 7, 2000])
def test_records_spooled_to_a_file_make_the_parts_records_in_memory_make(
    tmp_path: Path, part_size: int
) -> None:
    """The build writes its records to a file as pages come and reads each part back:
    the same parts, stamps and records, in the same order, as from a list in memory."""
    records = [
        SearchRecord(
            f"articles/a{n}/{'#commentary-heading' if n % 3 == 0 else ''}",
            f"Title {n} é",
            "notes" if n % 3 == 0 else "text",
            f"words {n} ü",
            (("tag", (f"t{n % 4}",)), ("outlet", ("Le Monde",))),
        )
        for n in range(23)
    ]
    with Spool(tmp_path) as spool:
        spool.add(records[:10])
        spool.add(records[10:])
        from_file = plan_parts(spool, "en", part_size)
        read = [(p.name, p.stamp, [fields(r) for r in p.records]) for p in from_file]
        again = [[fields(r) for r in p.records] for p in from_file]  # read twice: the same
    in_memory = plan_parts(records, "en", part_size)
    assert read == [(p.name, p.stamp, [fields(r) for r in p.records]) for p in in_memory]
    assert again == [records for _, _, records in read]
    assert list(tmp_path.iterdir()) == []  # the file has no name, and is gone


def test_an_empty_spool_is_one_empty_part(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        (part,) = plan_parts(spool, "en")
    assert part.name == plan_parts([], "en")[0].name
