"""Notes never land on the wrong words (issue 15): real sites through build, check, anchors.

The exact diagnostics of each case are in ``tests/sites/anchors/<case>/expected.txt``
(checked by ``test_commentary.py``); these tests follow the same sites through a build and
through ``digest anchors [--fix]``.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import TESTS

ANCHORS = TESTS / "sites" / "anchors"


def _build(case: str, tmp_path: Path, slug: str) -> tuple[str, dict[str, object]]:
    out = tmp_path / "out"
    assert main(["build", "--site", str(ANCHORS / case), "--output", str(out)]) == 0
    page = out / "articles" / slug
    html = (page / "index.html").read_text(encoding="utf-8")
    return html, json.loads((page / "annotations.jsonld").read_text(encoding="utf-8"))


def _unanchored(html: str) -> str:
    return html.split('<section class="unanchored"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    ("case", "slug", "count"),
    [("lookalike", "riders", 2), ("changed-facts", "correction", 7), ("inside-name", "names", 2)],
)
def test_a_changed_passage_is_published_unanchored_never_marked(
    case: str, slug: str, count: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html, _ = _build(case, tmp_path, slug)
    assert "<mark" not in html
    assert _unanchored(html).count('class="note ') == count
    err = capsys.readouterr().err
    assert err.count("warning[anchor-not-found]") == count
    assert "re-anchored" not in err


def test_a_lookalike_is_an_error_under_check_strict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ANCHORS / "lookalike")
    assert main(["check", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "(the closest passage differs in a name: Alpha → Beta)" in err
    assert 'closest: "Team Beta reported a 12 percent rise in riders" (91%, article line 7)' in err


def test_invisible_differences_anchor_exactly_and_export_nfc(tmp_path: Path) -> None:
    html, page = _build("invisible", tmp_path, "signs")
    assert (
        '<mark class="anno anno--commenting" aria-details="note-n1">I ❤\ufe0f Seoul</mark>' in html
    )
    items = page["items"]
    assert isinstance(items, list)
    targets = [item["target"] for item in items if isinstance(item["target"], dict)]
    exacts = [target["selector"]["exact"] for target in targets]
    assert exacts == [
        "I ❤\ufe0f Seoul",
        "new\u200bline opens in the café district",
        "a soft\xadware firm",
    ]
    assert all(unicodedata.is_normalized("NFC", text) for text in exacts)


ATTENTION_ARTICLE = """\
---
title: Attention
date: 2024-05-01
outlet: Reuters
---

The Federal Reserve held its benchmark rate steady on Wednesday.

The Fed will meet again in June. The Fed rarely moves in summer.

Team Beta reported a 12 percent rise in riders.
"""

ATTENTION_NOTES = (
    "\ufeff---\r\n"
    "by: ed  # the editor\r\n"
    "created: 2024-05-02\r\n"
    "notes:\r\n"
    "  - quote: 'The Federal Reserve kept its benchmark rate'   # typed from memory\r\n"
    "    note: Reworded since.\r\n"
    "  - quote: The Fed\r\n"
    "    note: Which one?\r\n"
    "  - quote: Team Alpha reported a 12 percent rise in riders\r\n"
    "    note: Another team.\r\n"
    "  - quote: markets rallied\r\n"
    "    note: Gone.\r\n"
    "---\r\n"
    "\r\n"
    "Overall.\r\n"
)


def _attention_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ANCHORS / "exact", site, ignore=shutil.ignore_patterns("content"))
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "commentary").mkdir()
    (site / "content" / "articles" / "fed.md").write_text(ATTENTION_ARTICLE, encoding="utf-8")
    (site / "content" / "commentary" / "fed.md").write_bytes(ATTENTION_NOTES.encode("utf-8"))
    return site


def test_anchors_lists_every_note_that_needs_attention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _attention_site(tmp_path)
    assert main(["anchors", "--site", str(site)]) == 0
    out = capsys.readouterr().out.replace(str(site) + "/", "")
    notes = "content/commentary/fed.md"
    assert re.findall(r"^(\S+:\d+:\d+): (\S+): ", out, re.MULTILINE) == [
        (f"{notes}:5:5", "fuzzy"),
        (f"{notes}:7:5", "ambiguous"),
        (f"{notes}:9:5", "not-found"),
        (f"{notes}:11:5", "not-found"),
    ]
    assert '    candidate: "The Federal Reserve held its benchmark rate" (93%)\n' in out
    assert '    candidate: "The Fed" (100%)\n    hint: add  prefix: ' in out
    assert (
        '    candidate: "Team Beta reported a 12 percent rise in riders" (91%); '
        "the closest passage differs in a name: Alpha → Beta\n"
    ) in out
    assert out.endswith(
        "4 notes need attention: 1 can be fixed; run `digest anchors --fix` to rewrite them, "
        "3 left for an editor.\n"
    )
    assert "up to date" not in out


def test_anchors_fix_rewrites_only_the_quote_that_passes_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _attention_site(tmp_path)
    file = site / "content" / "commentary" / "fed.md"
    assert main(["anchors", "--site", str(site), "--fix"]) == 0
    out = capsys.readouterr().out
    assert "Fixed 1 value in 1 file; 3 notes left for an editor (see the hints above).\n" in out
    assert file.read_bytes() == ATTENTION_NOTES.replace(
        "'The Federal Reserve kept its benchmark rate'",
        '"The Federal Reserve held its benchmark rate"',
    ).encode("utf-8")
    assert main(["anchors", "--site", str(site), "--fix"]) == 0
    out = capsys.readouterr().out
    assert "3 notes need attention: 0 can be fixed, 3 left for an editor.\n" in out
    assert file.read_bytes().count(b"Team Alpha") == 1


def test_an_unanchored_note_is_exported_in_nfc(tmp_path: Path) -> None:
    site = _attention_site(tmp_path)
    notes = site / "content" / "commentary" / "fed.md"
    nfd = unicodedata.normalize("NFD", "the café district")
    notes.write_bytes(ATTENTION_NOTES.replace("markets rallied", nfd).encode("utf-8"))
    out = tmp_path / "out"
    assert main(["build", "--site", str(site), "--output", str(out)]) == 0
    page = json.loads((out / "articles" / "fed" / "annotations.jsonld").read_text("utf-8"))
    exacts = [i["target"]["selector"]["exact"] for i in page["items"] if "selector" in i["target"]]
    assert "the café district" in exacts
    assert all(unicodedata.is_normalized("NFC", text) for text in exacts)
