"""``digest ingest``, ``digest extract`` and the build's seed step, through the CLI."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO, SAMPLE, TESTS

FIXTURES = TESTS / "ingest" / "fixtures"
SEED = REPO / "seeds" / "000_19df8d9e63fb33d5.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


def test_extract_prints_one_json_object_per_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), str(FIXTURES / "dump.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    seed = json.loads(lines[0])
    assert seed["title"] == "Chinese envoy emphasizes AI cooperation following DeepSeek debate"
    assert seed["authors"] == ["Kim Hyun-bin"]
    assert seed["outlet"] in {"Korea Times", "The Korea Times"}
    assert seed["captions"] == [
        {"caption": "Chinese Ambassador to Korea Dai Bing", "credit": "Yonhap"}
    ]
    assert (
        seed["text"].splitlines()[0].startswith("Chinese Ambassador to Korea Dai Bing emphasized")
    )
    assert seed["text"].splitlines()[-1].endswith("rapidly evolving AI sector.")
    assert {"line", "text", "reason"} <= set(seed["removed"][0])
    assert json.loads(lines[1])["authors"] == ["Mara Lindqvist", "Tomas Berg"]


def test_extract_reports_bad_input_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(FIXTURES / "empty.txt"), str(FIXTURES / "binary.bin")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "empty.txt:1:1: error[ingest-empty]" in captured.err
    assert "binary.bin:1:1: error[ingest-binary]" in captured.err
    assert "Traceback" not in captured.err


def test_ingest_writes_an_article_and_keeps_the_seed(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "ingest",
            str(FIXTURES / "dump.txt"),
            "--site",
            str(site),
            "--tag",
            "libraries",
            "--topic",
            "culture",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "content/articles/harbour-city-opens-its-first-floating-library.md" in out
    assert "title:   Harbour city opens its first floating library" in out
    article = site / "content/articles/harbour-city-opens-its-first-floating-library.md"
    text = article.read_text(encoding="utf-8")
    assert "tags:\n- libraries\ntopics:\n- culture\n" in text
    assert "  path: seeds/dump.txt\n" in text
    assert (site / "seeds" / "dump.txt").read_bytes() == (FIXTURES / "dump.txt").read_bytes()
    assert main(["build", "--site", str(site), "--output", str(site / "out")]) == 0


def test_ingest_refuses_unknown_topics_and_writes_nothing(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted((site / "content" / "articles").iterdir())
    assert (
        main(["ingest", str(FIXTURES / "dump.txt"), "--site", str(site), "--topic", "cultur"]) == 1
    )
    assert "unknown topic 'cultur': did you mean 'culture'?" in capsys.readouterr().err
    assert sorted((site / "content" / "articles").iterdir()) == before


def test_ingest_without_path_ingests_unclaimed_seeds_once_and_never_touches_the_article(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "seeds").mkdir()
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    name = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate.md"
    assert f"Ingested seeds/envoy.txt -> content/articles/{name}" in out
    article = site / "content" / "articles" / name
    edited = article.read_text(encoding="utf-8").replace("Korea Times", "The Korea Times")
    article.write_text(edited, encoding="utf-8")
    assert main(["ingest", "--site", str(site)]) == 0
    assert "Nothing to ingest" in capsys.readouterr().out
    assert main(["build", "--site", str(site), "--output", str(site / "out")]) == 0
    assert "unclaimed-seed" not in capsys.readouterr().err
    assert article.read_text(encoding="utf-8") == edited


def test_update_shows_a_changed_body_and_replaces_it_only_with_force(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "seeds").mkdir()
    shutil.copy(SEED, site / "seeds" / "envoy.txt")
    assert main(["ingest", "--site", str(site)]) == 0
    slug = "chinese-envoy-emphasizes-ai-cooperation-following-deepseek-debate"
    article = site / "content" / "articles" / f"{slug}.md"
    text = article.read_text(encoding="utf-8")
    edited = text.replace("title: Chinese envoy", "title: China's envoy").replace(
        "DeepSeek has yet to issue a statement", "DeepSek has yet to issue a statement"
    )
    edited = edited.replace("seed:", "tags:\n- AI\nsummary: Edited.\nseed:", 1)
    article.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    for dry in (["--dry-run"], ["--dry-run", "--force"], []):
        assert main(["ingest", "--update", slug, "--site", str(site), *dry]) == (0 if dry else 1)
        out = capsys.readouterr().out
        assert "-DeepSek has yet to issue a statement" in out
        assert "+DeepSeek has yet to issue a statement" in out
        assert article.read_text(encoding="utf-8") == edited
    assert not (site / ".digest-backup").exists()
    assert main(["ingest", "--update", slug, "--site", str(site), "--force"]) == 0
    updated = article.read_text(encoding="utf-8")
    assert updated == edited.replace("DeepSek has yet", "DeepSeek has yet")
    [backup] = (site / ".digest-backup").iterdir()
    assert backup.read_text(encoding="utf-8") == edited
    assert f"kept as .digest-backup/{backup.name}" in capsys.readouterr().out
    assert main(["ingest", "--update", slug, "--site", str(site)]) == 0
    assert "already up to date" in capsys.readouterr().out


class _Pages(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    handler = functools.partial(_Pages, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_ingest_a_url_from_a_local_server(
    site: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", server + "page.html", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    written = out.split(" -> ")[1].splitlines()[0]
    text = (site / written).read_text(encoding="utf-8")
    assert "seed:\n  path: seeds/" in text
    assert main(["ingest", server + "missing.html", "--site", str(site)]) == 1
    assert "error[fetch-http]" in capsys.readouterr().err


def test_ingest_reports_what_it_could_not_find(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teaser = FIXTURES / "kinds" / "paywall-teaser.txt"
    assert main(["ingest", str(teaser), "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "    check:   no source URL, teaser only (a paywall notice was cut" in out
    undated = FIXTURES / "kinds" / "list-after-colon.txt"
    assert main(["ingest", str(undated), "--site", str(site)]) == 0
    assert "    check:   no published date, no source URL\n" in capsys.readouterr().out
    assert main(["ingest", str(FIXTURES / "dump.txt"), "--site", str(site)]) == 0
    assert "    check:   no source URL\n" in capsys.readouterr().out
