"""Commentary: anchoring outcomes with exact diagnostics, rendering, export, fixes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cli.main import main
from tests.conftest import REPO, SAMPLE, TESTS

ANCHORS = TESTS / "sites" / "anchors"
CASES = sorted(p.name for p in ANCHORS.iterdir() if p.is_dir())
SEED_SLUG = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"


@pytest.mark.parametrize("case", CASES)
def test_anchoring_outcome_under_check_strict(
    case: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_golden: bool,
) -> None:
    site = ANCHORS / case
    monkeypatch.chdir(site)
    code = main(["check", "--strict"])
    captured = capsys.readouterr()
    expected = site / "expected.txt"
    if update_golden:
        expected.write_text(captured.err, encoding="utf-8")
    assert captured.err == expected.read_text(encoding="utf-8")
    assert code == (1 if captured.err else 0)
    assert captured.out == ("" if captured.err else "No problems found.\n")


def _built_page(case: str, tmp_path: Path) -> str:
    build(ANCHORS / case, tmp_path / "out")
    return (tmp_path / "out" / "articles" / "fed" / "index.html").read_text(encoding="utf-8")


def test_overlapping_notes_give_well_formed_marks(tmp_path: Path) -> None:
    page = _built_page("overlapping", tmp_path)
    paragraph = re.search(r"<p>The Federal Reserve.*?</p>", page)
    assert paragraph is not None
    assert paragraph.group(0) == (
        "<p>The Federal Reserve held its "
        '<mark class="anno anno--commenting" aria-details="note-n1">benchmark </mark>'
        '<mark class="anno anno--commenting" aria-details="note-n1">rate </mark>'
        '<mark class="anno anno--commenting anno--highlighting" aria-details="note-n1">'
        "steady</mark>"
        '<sup><a href="#note-n1" class="noteref noteref--commenting" id="ref-n1" '
        'aria-label="Note 1">1</a></sup>'
        '<mark class="anno anno--commenting" aria-details="note-n2"> on Wednesday</mark>'
        '<sup><a href="#note-n2" class="noteref noteref--commenting" id="ref-n2" '
        'aria-label="Note 2">2</a></sup>, as expected.</p>'
    )


def test_adjacent_notes_keep_separate_marks_and_references(tmp_path: Path) -> None:
    page = _built_page("adjacent", tmp_path)
    paragraph = re.search(r"<p>The Federal Reserve.*?</p>", page)
    assert paragraph is not None
    assert paragraph.group(0) == (
        "<p>The Federal Reserve "
        '<mark class="anno anno--commenting" aria-details="note-n1">held its benchmark</mark>'
        '<sup><a href="#note-n1" class="noteref noteref--commenting" id="ref-n1" '
        'aria-label="Note 1">1</a></sup> '
        '<mark class="anno anno--questioning" aria-details="note-n2">rate steady</mark>'
        '<sup><a href="#note-n2" class="noteref noteref--questioning" id="ref-n2" '
        'aria-label="Note 2">2</a></sup> on Wednesday, as expected.</p>'
    )


def test_a_quote_across_emphasis_and_a_link_marks_each_piece(tmp_path: Path) -> None:
    page = _built_page("spanning-formatting", tmp_path)
    marks = re.findall(r"<mark[^>]*>([^<]*)</mark>", page)
    assert "".join(marks) == "needed greater confidence that inflation was"
    assert '<a href="https://example.org/cpi"><mark' in page
    assert re.search(r"</a>(<mark[^>]*> was</mark>)<sup><a href=\"#note-n1\"", page)


def test_unanchored_notes_are_published(tmp_path: Path) -> None:
    page = _built_page("missing", tmp_path)
    section = page.split('<section class="unanchored"')[1]
    assert "On “markets rallied on the news”." in section
    assert "Not in the text." in section
    assert "<mark" not in page.split('<div class="body">')[1].split("<section")[0]


def test_annotations_jsonld_follows_the_w3c_model(tmp_path: Path) -> None:
    build(REPO, tmp_path / "out")
    folder = tmp_path / "out" / "articles" / SEED_SLUG
    page = json.loads((folder / "annotations.jsonld").read_text(encoding="utf-8"))
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert page["id"].startswith("https://")
    items = page["items"]
    notes = (REPO / "content" / "commentary" / f"{SEED_SLUG}.md").read_text(encoding="utf-8")
    assert len(items) == 1 + notes.count("\n  - ")
    for item in items:
        assert item["type"] == "Annotation"
        assert item["id"].startswith(page["id"] + "#")
        assert "target" in item
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created"])
        assert item["creator"]["type"] == "Person"
        assert item["motivation"] in {
            "commenting",
            "questioning",
            "assessing",
            "describing",
            "linking",
            "highlighting",
            "editing",
        }
        for body in (
            item.get("body", [])
            if isinstance(item.get("body"), list)
            else [item["body"]]
            if "body" in item
            else []
        ):
            assert body["type"] == "TextualBody" and body["format"] == "text/html"
    quoted = [item["target"] for item in items[1:]]
    for target in quoted:
        assert target["selector"]["type"] == "TextQuoteSelector"
        assert target["selector"]["exact"]
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="../../articles/' + SEED_SLUG + '/annotations.jsonld"' in html


def test_anchors_fix_rewrites_only_the_stale_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    file = site / "content" / "commentary" / "cafe-culture-paris.md"
    before = file.read_text(encoding="utf-8")
    assert main(["anchors", "--site", str(site), "--fix"]) == 0
    after = file.read_text(encoding="utf-8")
    assert after == before.replace(
        "  - quote: Owners blame rent\n", '  - quote: "Owners blame rents"\n'
    )
    assert "Fixed 1 value in 1 file; 3 notes left for an editor" in capsys.readouterr().out
    assert main(["anchors", "--site", str(site)]) == 0
    assert "3 notes need attention: 0 can be fixed, 3 left" in capsys.readouterr().out


def test_new_commentary_scaffold_builds_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    assert main(["new", "commentary", "tokyo-rail", "--site", str(site), "--by", "minjun"]) == 0
    text = (site / "content" / "commentary" / "tokyo-rail.md").read_text(encoding="utf-8")
    assert text.startswith('---\nby: "minjun"\ncreated: ')
    assert '  # - quote: "Japan\'s first railway opened between Shimbashi"\n' in text
    assert main(["new", "commentary", "tokyo-rail", "--site", str(site)]) == 1
    assert main(["new", "commentary", "tokyo-rails", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "already exists; edit it instead" in err
    assert "no article 'tokyo-rails'; did you mean 'tokyo-rail'?" in err
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "o")]) == 0
