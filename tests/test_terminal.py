"""Text from content never drives the terminal: control characters are shown, not sent."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli.common import SafeStream, printable
from generator.cli.main import main
from tests.conftest import SAMPLE, TESTS

HOSTILE = "\x1b]0;pwned\x07\x1b[2J"
SHOWN = "\\u001b]0;pwned\\u0007\\u001b[2J"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text)


def test_ingest_shows_the_escapes_of_a_hostile_headline(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = (TESTS / "ingest" / "fixtures" / "dump.txt").read_text("utf-8")
    page = tmp_path / "hostile.txt"
    headline = "Harbour city opens its first floating library"
    page.write_text(dump.replace(headline, headline + HOSTILE), "utf-8")
    assert main(["ingest", "--site", str(site), str(page)]) == 0
    captured = capsys.readouterr()
    _assert_clean(captured.out + captured.err)
    assert SHOWN in captured.out + captured.err


def test_build_shows_the_escapes_of_a_hostile_file_name(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = site / "content" / "articles"
    (articles / "tokyo-rail.md").rename(articles / f"tokyo{HOSTILE}.md")
    main(["build", "--site", str(site)])
    captured = capsys.readouterr()
    _assert_clean(captured.out + captured.err)
    assert f"tokyo{SHOWN}.md" in captured.err


def test_every_kind_of_control_is_shown_and_text_is_kept() -> None:
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("é 한국 — ok") == "é 한국 — ok"
    assert printable("\r\x9b2J\x7f\u202eevil") == "\\u000d\\u009b2J\\u007f\\u202eevil"
    inner = io.StringIO()
    stream = SafeStream(inner)
    print(HOSTILE, file=stream)
    stream.control("\r")
    assert inner.getvalue() == SHOWN + "\n\r"


def test_extract_json_stays_valid_with_controls_json_leaves_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = (TESTS / "ingest" / "fixtures" / "dump.txt").read_text("utf-8")
    headline = "Harbour city opens its first floating library"
    page = tmp_path / "hostile.txt"
    page.write_text(dump.replace(headline, headline + "\u202e\x9b2J"), "utf-8")
    assert main(["extract", str(page)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x9b" not in out
    assert json.loads(out)["title"].endswith("\u202e\x9b2J")
