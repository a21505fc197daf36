"""Incremental rebuilds give exactly the site a full build gives, and touch only what changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import BuildFailed
from generator.preview.session import Session
from tests.childbuild import build_in_child
from tests.conftest import SAMPLE
from tests.treediff import describe_difference, files, superseded_parts

ARTICLES = Path("content") / "articles"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _two_bodies(site: Path) -> None:
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    _edit(site / ARTICLES / "chip-exports.md", "\n---\n", "\n---\nFirst line.\n")


def _rename(path: Path, name: str) -> None:
    path.rename(path.with_name(name))


EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda s: _edit(s / ARTICLES / "tokyo-rail.md", "40 million", "41 million"),
    "title": lambda s: _edit(s / ARTICLES / "fed-holds-rates.md", "a fifth pause", "pause five"),
    "tags": lambda s: _edit(s / ARTICLES / "tokyo-rail.md", "[Japan, transport]", "[Japan, trade]"),
    "date moves it": lambda s: _edit(s / ARTICLES / "tokyo-rail.md", "2024-03-28", "2024-05-30"),
    "new article": lambda s: _write(
        s / ARTICLES / "new.md",
        "---\ntitle: New one\ndate: 2024-05-15\noutlet: Reuters\ntags: [trade]\n---\n\nText.\n",
    ),
    "deleted article": lambda s: (s / ARTICLES / "election-coverage.md").unlink(),
    "commentary": lambda s: _edit(
        s / "content" / "commentary" / "cafe-culture-paris.md", "Up from €1.10", "Up from €1.20"
    ),
    "layout": lambda s: _edit(s / "layouts" / "404.html", "nothing", "no page"),
    "config": lambda s: _edit(s / "site.yaml", "per_page: 2", "per_page: 3"),
    "editor renamed": lambda s: _edit(s / "site.yaml", "ana: Ana Lima", "ana: Ana M. Lima"),
    "excerpt everywhere": lambda s: _write(
        s / "site.yaml", (s / "site.yaml").read_text(encoding="utf-8") + "reproduce: excerpt\n"
    ),
    "static file removed": lambda s: (s / "layouts" / "static" / "extra.css").unlink(),
    "topics": lambda s: _edit(s / "content" / "topics.yaml", "title: Economy", "title: Money"),
    "two bodies": lambda s: _two_bodies(s),
    "renamed file": lambda s: _rename(s / ARTICLES / "tokyo-rail.md", "rail.md"),
    "article topics": lambda s: _edit(
        s / ARTICLES / "fed-holds-rates.md", "topics: [economy]", "topics: [economy, technology]"
    ),
    "key lines move": lambda s: _edit(s / ARTICLES / "tokyo-rail.md", "authors: []\n", ""),
    "slug set": lambda s: _edit(s / ARTICLES / "tokyo-rail.md", "authors: []\n", "slug: rail\n"),
    "commentary added": lambda s: _write(
        s / "content" / "commentary" / "tokyo-rail.md",
        "---\nby: minjun\ncreated: 2024-04-02\nwhy_it_matters: Trains.\nnotes:\n"
        "  - quote: 40 million passengers\n    note: A *lot*.\n---\n\nOverall.\n",
    ),
    "commentary deleted": lambda s: (s / "content" / "commentary" / "seoul-ai-summit.md").unlink(),
    "quoted words edited": lambda s: _edit(  # a note on them loses its place
        s / ARTICLES / "cafe-culture-paris.md", "lost a tenth of its", "lost a fifth of its"
    ),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns(".digest-cache"))
    (copy / "layouts" / "static").mkdir(parents=True)
    shutil.copy(Path(__file__).parents[1] / "layouts" / "404.html", copy / "layouts" / "404.html")
    (copy / "layouts" / "static" / "extra.css").write_text("p { color: red }\n")
    return copy


@pytest.mark.parametrize(("cache", "jobs"), [(True, 1), (True, 2), (False, 1), (False, 2)])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_rebuild_equals_a_full_build(
    site: Path, tmp_path: Path, edit: str, cache: bool, jobs: int
) -> None:
    with Session(site, tmp_path / "served") as session:
        first = session.rebuild()
        fresh = tmp_path / "fresh"
        _full_build(site, fresh, cache=cache, jobs=jobs, search=False)  # fills the cache
        EDITS[edit](site)
        again = session.rebuild()
        _full_build(site, fresh, cache=cache, jobs=jobs)  # reuses what held
        session.settle()  # the search index is refreshed in the background
    assert first.full
    old_parts = superseded_parts(tmp_path / "served")  # kept for pages opened before
    assert describe_difference(tmp_path / "fresh", tmp_path / "served", old_parts) == ""
    assert (tmp_path / "served" / "pagefind" / "parts.json").is_file()
    full_edits = {"layout", "config", "topics", "editor renamed", "excerpt everywhere"}
    assert again.full == (edit in full_edits | {"static file removed"})


def _full_build(site: Path, output: Path, *, cache: bool, jobs: int, search: bool = True) -> None:
    """One worker in this process; more in a child process (workers fork only from a
    process without threads, and the session runs its indexer thread)."""
    if jobs == 1:
        build(site, output, cache=cache, jobs=1, search=search)
    else:
        build_in_child(site, output, cache=cache, jobs=jobs, search=search)


def test_a_body_edit_rewrites_only_its_page(site: Path, tmp_path: Path) -> None:
    with Session(site, tmp_path / "served") as session:
        session.rebuild()
        session.settle()
        served = tmp_path / "served"
        before = {name: (served / name).stat().st_mtime_ns for name in files(served)}
        EDITS["body"](site)
        result = session.rebuild()
        session.settle()
    after = {name: (served / name).stat().st_mtime_ns for name in files(served)}
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    assert any(name.startswith("pagefind/") for name in rewritten)  # its text is searchable
    rewritten = [name for name in rewritten if not name.startswith("pagefind/")]
    assert rewritten == [  # its page, and the feeds that carry its full text
        "articles/tokyo-rail/index.html",
        "feed.xml",
        "tags/japan/feed.xml",
        "tags/transport/feed.xml",
    ]
    assert not result.full
    assert result.pages < 15  # re-rendered; only the four above had new bytes


def test_a_patched_site_reports_what_a_full_build_reports(site: Path, tmp_path: Path) -> None:
    """Edits that keep the site's shape reuse the last grouping: its warnings (here a tag
    spelling, pointing at a line) stay, and move when the lines of the front matter move."""
    _edit(site / ARTICLES / "tokyo-rail.md", "[Japan, transport]", "[japan, transport]")
    _edit(site / ARTICLES / "chip-exports.md", "[semiconductors,", "[Japan, semiconductors,")

    def fresh() -> list[str]:
        with Session(site, tmp_path / f"fresh{len(list(tmp_path.iterdir()))}") as other:
            return [d.format() for d in other.rebuild().warnings]

    with Session(site, tmp_path / "served") as session:
        first = [d.format() for d in session.rebuild().warnings]
        assert any("tokyo-rail.md:6:" in line and "tag-variant" in line for line in first), first
        for edit in ("body", "key lines move", "title"):
            EDITS[edit](site)
            assert [d.format() for d in session.rebuild().warnings] == fresh(), edit
        assert any("tokyo-rail.md:5:" in line and "tag-variant" in line for line in fresh())


def test_kept_commentary_and_anchoring_report_what_a_fresh_session_reports(
    site: Path, tmp_path: Path
) -> None:
    """serve keeps loaded commentary and anchoring between rebuilds: every edit that changes
    what a note anchors on, or whether its file holds, gives the messages of a fresh start."""
    commentary = site / "content" / "commentary" / "cafe-culture-paris.md"
    article = site / ARTICLES / "cafe-culture-paris.md"

    def fresh() -> list[str]:
        with Session(site, tmp_path / f"fresh{len(list(tmp_path.iterdir()))}") as other:
            try:
                return [d.format() for d in other.rebuild().warnings]
            except BuildFailed as failed:
                return [d.format() for d in failed.diagnostics]

    def again(session: Session) -> list[str]:
        try:
            return [d.format() for d in session.rebuild().warnings]
        except BuildFailed as failed:
            return [d.format() for d in failed.diagnostics]

    steps: list[tuple[str, Callable[[], object]]] = [
        ("quoted words", lambda: _edit(article, "lost a tenth of its", "lost a fifth of its")),
        ("words back", lambda: _edit(article, "lost a fifth of its", "lost a tenth of its")),
        ("note moved", lambda: _edit(commentary, 'prefix: "Paris has "', 'prefix: "Lyon has "')),
        ("editor gone", lambda: _edit(site / "site.yaml", "  ana: Ana Lima\n", "")),
        (
            "editor back",
            lambda: _edit(site / "site.yaml", "editors:\n", "editors:\n  ana: Ana Lima\n"),
        ),
        ("article gone", lambda: article.rename(tmp_path / "kept.md")),
        ("article back", lambda: (tmp_path / "kept.md").rename(article)),
    ]
    with Session(site, tmp_path / "served") as session:
        last = again(session)
        for name, step in steps:
            step()
            now = again(session)
            assert now == fresh(), name
            assert now != last, f"{name}: the step changes nothing the test can see"
            last = now


def test_a_deleted_output_folder_is_rebuilt_whole(site: Path, tmp_path: Path) -> None:
    with Session(site, tmp_path / "served") as session:
        session.rebuild()
        session.settle()
        shutil.rmtree(tmp_path / "served")
        EDITS["body"](site)
        assert session.rebuild().full
        session.settle()
    build(site, tmp_path / "fresh")
    assert describe_difference(tmp_path / "fresh", tmp_path / "served") == ""


def test_errors_keep_the_last_good_site(site: Path, tmp_path: Path) -> None:
    with Session(site, tmp_path / "served") as session:
        session.rebuild()
        session.settle()
        before = files(tmp_path / "served")
        _edit(site / ARTICLES / "tokyo-rail.md", "date: 2024-03-28", "date: 2024-03-")
        with pytest.raises(BuildFailed):
            session.rebuild()
        assert files(tmp_path / "served") == before
        _edit(site / ARTICLES / "tokyo-rail.md", "date: 2024-03-", "date: 2024-03-28")
        session.rebuild()
        session.settle()
    assert files(tmp_path / "served") == before
