"""Names in scripts without capital letters (Han, kana, Arabic, Hebrew, Thai...): a note
never re-anchors onto different letters, real sites through build, check and anchors.

In these scripts a name cannot be told from another word, so a candidate whose letters
differ from the quote's (after vowel points, punctuation, spacing and width) is refused;
differences of only those still re-anchor.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import TESTS

ARTICLE = """\
---
title: Names
date: 2024-05-01
outlet: Reuters
---

The talks ended on Wednesday.

{text}
"""

NOTES = """\
---
by: ed
created: 2024-05-02
notes:
  - quote: "{quote}"
    note: A note.
---

Overall.
"""


def _site(tmp_path: Path, text: str, quote: str) -> Path:
    site = tmp_path / "site"
    exact = TESTS / "sites" / "anchors" / "exact"
    shutil.copytree(exact, site, ignore=shutil.ignore_patterns("content", "expected.txt"))
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "commentary").mkdir()
    article = ARTICLE.format(text=text)
    (site / "content" / "articles" / "talks.md").write_text(article, encoding="utf-8")
    notes = NOTES.format(quote=quote)
    (site / "content" / "commentary" / "talks.md").write_text(notes, encoding="utf-8")
    return site


def _html(site: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    assert main(["build", "--site", str(site), "--output", str(out)]) == 0
    return (out / "articles" / "talks" / "index.html").read_text(encoding="utf-8")


SWAPS = {
    "chinese": (
        "外交部长王毅表示，会谈取得了积极成果。",
        "外交部长李明表示，会谈取得了积极成果",
        "李明 → 王毅",
    ),
    "japanese": (
        "鈴木さんは東京で記者会見を開いた。",
        "田中さんは東京で記者会見を開いた",
        "田中 → 鈴木",
    ),
    "arabic": (
        "قال أحمد إن المحادثات كانت مثمرة.",
        "قال محمد إن المحادثات كانت مثمرة",
        "محمد → أحمد",
    ),
    "hebrew": (
        "אמר דני כהן כי השיחות היו פוריות.",
        "אמר דוד כהן כי השיחות היו פוריות",
        "דוד → דני",
    ),
    "thai": (
        "นายสมศักดิ์ กล่าวว่า การเจรจาประสบความสำเร็จ",
        "นายสมชาย กล่าวว่า การเจรจาประสบความสำเร็จ",
        "นายสมชาย → นายสมศักดิ์",
    ),
    "hindi": ("रोहित ने कहा कि बातचीत सफल रही।", "राहुल ने कहा कि बातचीत सफल रही", "राहुल → रोहित"),
    "amharic": ("ከበደ ንግግሩ ስኬታማ ነበር አለ።", "አበበ ንግግሩ ስኬታማ ነበር አለ", "አበበ → ከበደ"),
}


@pytest.mark.parametrize("script", sorted(SWAPS))
def test_a_name_swapped_in_a_caseless_script_is_refused(
    script: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, quote, change = SWAPS[script]
    site = _site(tmp_path, text, quote)
    assert main(["check", "--strict", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "error[anchor-not-found]" in err
    assert f"(the closest passage differs in letters a name may be written with: {change})" in err
    html = _html(site, tmp_path)
    assert "<mark" not in html
    assert "re-anchored" not in capsys.readouterr().err
    assert main(["anchors", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert ": not-found: " in out
    assert f"letters a name may be written with: {change}" in out
    assert "0 can be fixed" in out or "can be fixed" not in out


SAME = {
    "arabic vowel points": (
        "قال مُحَمَّد إنَّ المحادثات كانت مثمرة.",
        "قال محمد إن المحادثات كانت مثمرة",
    ),
    "hebrew niqqud": ("אָמַר דָּוִד כֹּהֵן כי השיחות היו פוריות.", "אמר דוד כהן כי השיחות היו פוריות"),
    "chinese punctuation": (
        "外交部长王毅表示，会谈取得了积极成果。",
        "外交部长王毅表示、会谈取得了积极成果",
    ),
    "chinese half-width punctuation": (
        "他说：会谈取得了积极成果，双方同意继续对话。",
        "他说:会谈取得了积极成果,双方同意继续对话.",
    ),
    "japanese spacing": ("田中さんは東京で記者会見を開いた。", "田中さんは 東京で記者会見を開いた"),
    "half-width kana": ("ヤマダ氏が会見した。", "ﾔﾏﾀﾞ氏が会見した"),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_only_points_punctuation_or_spacing_still_reanchor(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, quote = SAME[case]
    site = _site(tmp_path, text, quote)
    html = _html(site, tmp_path)
    assert '<mark class="anno' in html
    assert "anchor-not-found" not in capsys.readouterr().err
    assert main(["anchors", "--site", str(site), "--fix"]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--site", str(site)]) == 0
