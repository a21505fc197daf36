"""Extraction from text dumps and HTML pages, encodings and error cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.model import Image
from generator.ingest import IngestError, extract_bytes, extract_path

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parents[2] / "seeds" / "000_19df8d9e63fb33d5.txt"
FIRST = "The city council opened a floating library in the old harbour on Monday"
LAST = "the deck will host readings for children every Saturday morning until the autumn."
KOREAN = (
    "시 의회는 월요일 옛 항구에 떠 있는 도서관을 열었다. 퇴역한 여객선을 개조해 책 만이천 권을 "
    "꽂을 수 있는 열람실로 만들었다고 관계자들이 말했다."
)


def dump_text() -> str:
    return (FIXTURES / "dump.txt").read_text(encoding="utf-8")


def test_text_dump_article_and_metadata() -> None:
    result = extract_path(FIXTURES / "dump.txt")
    assert result.kind == "text"
    assert result.title == "Harbour city opens its first floating library"
    assert result.authors == ("Mara Lindqvist", "Tomas Berg")
    assert result.published == dt.date(2024, 3, 4)
    assert result.outlet == "The Harbour Gazette"
    paragraphs = result.text.split("\n")
    assert paragraphs[0].startswith(FIRST)
    assert paragraphs[-1].endswith(LAST)
    assert "## A second life for an old ferry" in result.body
    assert result.images == (
        Image(
            "Readers browse shelves on the new floating library in the old harbour",
            "Port Press Agency",
        ),
    )
    for chrome in ("Advertisement", "Most Read", "Share", "mara.lindqvist@"):
        assert chrome not in result.body
    reasons = {r.text: r.reason for r in result.removed}
    assert reasons["Mara Lindqvist mara.lindqvist@harbourgazette.example"] == "signature"
    assert reasons["By Mara Lindqvist and Tomas Berg"] == "byline"
    assert len(result.sha256) == 64


def test_seed_article() -> None:
    result = extract_path(SEED)
    assert result.title == "Chinese envoy emphasizes AI cooperation following DeepSeek debate"
    assert result.authors == ("Kim Hyun-bin",)
    assert result.outlet.removeprefix("The ") == "Korea Times"
    assert result.images == (Image("Chinese Ambassador to Korea Dai Bing", "Yonhap"),)
    paragraphs = result.text.split("\n")
    assert paragraphs[0].startswith("Chinese Ambassador to Korea Dai Bing emphasized")
    assert paragraphs[-1].endswith("rapidly evolving AI sector.")
    assert len(paragraphs) == 11
    assert "hyunbin@" not in result.body
    assert any(r.reason == "signature" for r in result.removed)
    assert {r.line for r in result.removed if r.reason == "photo caption"} == {18, 20}


def test_html_page() -> None:
    result = extract_path(FIXTURES / "page.html")
    assert result.kind == "html"
    assert result.title == "Harbour city opens its first floating library"
    assert result.authors == ("Mara Lindqvist", "Tomas Berg")
    assert result.published == dt.date(2024, 3, 4)
    assert result.outlet == "The Harbour Gazette"
    assert result.source_url == "https://gazette.example/news/floating-library"
    assert result.body.startswith(FIRST)
    assert result.text.split("\n")[-1].endswith(LAST)
    assert "[local volunteers](https://gazette.example/volunteers)" in result.body
    assert "## A second life for an old ferry" in result.body
    assert "- Twelve thousand books on two decks" in result.body
    assert "Privacy" not in result.body
    assert result.images[0].credit == "Port Press Agency"
    reasons = {r.text: r.reason for r in result.removed}
    assert reasons["By Mara Lindqvist and Tomas Berg"] == "byline"
    assert reasons["Harbour city opens its first floating library"] == "headline"
    assert reasons["Home"] == "page chrome"


def test_dump_without_blank_lines(tmp_path: Path) -> None:
    text = "\n".join(line for line in dump_text().split("\n") if line.strip())
    path = tmp_path / "tight.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_path(path)
    assert result.title == "Harbour city opens its first floating library"
    assert result.text.split("\n")[0].startswith(FIRST)


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved-page"
    path.write_bytes((FIXTURES / "page.html").read_bytes())
    assert extract_path(path).kind == "html"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_dump_encodings_and_crlf(tmp_path: Path, encoding: str) -> None:
    text = dump_text().replace('"We wanted', "“We wanted").replace('anything,"', "anything,”")
    path = tmp_path / "dump.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = extract_path(path)
    assert result.title == "Harbour city opens its first floating library"
    assert "“We wanted a place" in result.text
    assert "\r" not in result.body


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949", "utf-8"])
def test_korean_dump_in_legacy_encodings(tmp_path: Path, encoding: str) -> None:
    text = (
        dump_text()
        .replace(
            "The city council opened a floating library in the old harbour on Monday, turning a "
            "decommissioned ferry into a reading room with space for twelve thousand books.",
            KOREAN,
        )
        .replace("•", "*")
        .replace("©", "(c)")
    )
    path = tmp_path / "korean.txt"
    path.write_bytes(text.encode(encoding))
    result = extract_path(path)
    assert result.text.split("\n")[0] == KOREAN


def test_html_declared_legacy_charset() -> None:
    page = (FIXTURES / "page.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = page.replace("on Monday", "on Monday — “finally”")
    result = extract_bytes(page.encode("cp1252"), "legacy.html")
    assert "on Monday — “finally”" in result.text


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.txt", "ingest-empty"),
        ("binary.bin", "ingest-binary"),
        ("noarticle.txt", "ingest-no-article"),
    ],
)
def test_user_errors_name_the_file(name: str, code: str) -> None:
    with pytest.raises(IngestError) as caught:
        extract_path(FIXTURES / name)
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == code
    assert diagnostic.location.path == str(FIXTURES / name)
    assert diagnostic.hint
    assert name in diagnostic.format()


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        extract_path(tmp_path / "nope.txt")
    assert caught.value.diagnostic.code == "ingest-unreadable"


def test_html_without_article(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        extract_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "x.html")
    assert caught.value.diagnostic.code == "ingest-no-article"
