"""Inputs that users of other site generators tripped over: each gets a right answer or a
clear error, never a traceback (issue 13).  Tiny real sites built through the CLI."""

from __future__ import annotations

import http.server
import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from generator.cli.ingest import removal_summary
from generator.cli.main import main
from generator.content import slugify
from generator.content.slugs import MAX_BYTES, is_reserved
from generator.ingest import IngestError, fetch_url
from generator.ingest.result import Extraction, RemovedLine
from generator.publish import SiteWriter, WriteConflict
from tests.conftest import INVALID, REPO

INVALID_CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def make_site(root: Path, articles: dict[str, str], site_yaml: str = "") -> Path:
    """A site in ``root`` with one file per article (front matter lines, then a body)."""
    (root / "content" / "articles").mkdir(parents=True)
    (root / "site.yaml").write_text(
        site_yaml or "title: T\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    for name, front in articles.items():
        text = f"---\ntitle: {name.title()}\ndate: 2024-05-01\noutlet: O\n{front}---\n\nText.\n"
        (root / "content" / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``digest ARGS`` in this process: exit code, stdout, stderr."""
    try:
        code = main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- slugs -------------------------------------------------------------------------------

LONG = "x" * 80
DIFFERENT_TAGS = [
    "C++",
    "C#",
    "C",
    "バス",
    "パス",
    "दिल्ली",
    "हंस",
    "हस",
    LONG + "a" * 15,
    LONG + "b" * 15,
    "y" * 140 + "1",
    "y" * 140 + "2",
    "𠀀" * 70,
    "CON",
    "aux",
    "com1",
]


def test_different_tags_get_different_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tags = json.dumps(DIFFERENT_TAGS, ensure_ascii=False)
    site = make_site(tmp_path / "s", {"a": f"tags: {tags}\n"})
    code, out, err = run(["build", "--site", str(site)], capsys)
    assert (code, err) == (0, ""), err
    assert f"{len(DIFFERENT_TAGS)} tags" in out
    folders = {p.name for p in (site / "output" / "tags").iterdir() if p.is_dir()}
    assert len(folders) == len(DIFFERENT_TAGS)
    assert {"c-plus-plus", "c-sharp", "c", "バス", "パス", "दिल्ली", "con_", "aux_"} <= folders
    assert all(len(name.encode()) <= MAX_BYTES and not is_reserved(name) for name in folders)
    page = (site / "output" / "tags" / "c-plus-plus" / "index.html").read_text("utf-8")
    assert "C++" in page
    assert run(["check", "--site", str(site), "--strict"], capsys)[0] == 0


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("バス", "バス"),
        ("हंस", "हंस"),
        ("Nul", "nul_"),
        ("Café Society", "cafe-society"),
    ],
)
def test_slug_rule(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_written_slugs_keep_their_marks_and_are_compared_as_nfc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {"a": "slug: दिल्ली\n"})
    assert run(["build", "--site", str(site)], capsys)[0] == 0
    assert (site / "output" / "articles" / "दिल्ली" / "index.html").is_file()
    nfc, nfd = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))
    site = make_site(tmp_path / "t", {"a": f"slug: {nfc}\n", "b": f"slug: {nfd}\n"})
    code, _, err = run(["build", "--site", str(site)], capsys)
    assert code == 1
    assert "content/articles/b.md:1:1: error[duplicate-slug]: slug 'café' is already used" in err


def test_case_and_accent_variants_stay_one_tag_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {"a": "tags: [Café]\n", "b": "tags: [cafe]\n"})
    code, out, err = run(["build", "--site", str(site)], capsys)
    assert code == 0
    assert "1 tag," in out
    assert "warning[tag-variant]: tag 'cafe' differs from 'Café' only by case" in err
    code, _, err = run(["check", "--site", str(site), "--strict"], capsys)
    assert code == 1 and "error[tag-variant]" in err


# -- dates -------------------------------------------------------------------------------


def test_timestamps_keep_their_instant_and_plain_dates_stay_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seoul = "title: T\nbase_url: https://example.org/\ntimezone: Asia/Seoul\n"
    front = "published: 2026-03-31T20:00:00Z\n"
    site = make_site(tmp_path / "s", {"a": front}, seoul)
    article = site / "content" / "articles" / "a.md"
    article.write_text(article.read_text().replace("2024-05-01", "2026-04-02"))
    assert run(["build", "--site", str(site)], capsys)[0] == 0
    page = (site / "output" / "articles" / "a" / "index.html").read_text("utf-8")
    assert "1 April 2026" in page and "31 March 2026" not in page
    data = json.loads(
        re.findall(r'(?s)<script type="application/ld\+json">(.*?)</script>', page)[0]
    )
    assert data["isBasedOn"]["datePublished"] == "2026-04-01T05:00:00+09:00"
    assert data["datePublished"] == "2026-04-02T00:00:00+09:00"  # a plain date: that day
    assert 'content="2026-04-02T00:00:00+09:00"' in page
    feed = (site / "output" / "feed.xml").read_text("utf-8")
    assert "<published>2026-04-01T05:00:00+09:00</published>" in feed
    assert "2026-03-31T00:00:00" not in page + feed


# -- files -------------------------------------------------------------------------------


def test_layout_saved_with_a_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path / "s", {"a": ""})
    (site / "layouts").mkdir()
    base = (REPO / "layouts" / "base.html").read_bytes()
    (site / "layouts" / "base.html").write_bytes(b"\xef\xbb\xbf" + base)
    assert run(["build", "--site", str(site)], capsys)[0] == 0
    for page in ("index.html", "articles/a/index.html"):
        assert (site / "output" / page).read_bytes().startswith(b"<!DOCTYPE html>")


def test_hidden_files_in_content_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {"harbor": ""})
    articles = site / "content" / "articles"
    (articles / "._harbor.md").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X\xff\xfe")
    (articles / ".trash").mkdir()
    (articles / ".trash" / "old.md").write_text("not front matter", encoding="utf-8")
    (site / "content" / "commentary").mkdir()
    (site / "content" / "commentary" / "._harbor.md").write_bytes(b"\x00\x05\x16\x07\xff")
    code, out, err = run(["build", "--site", str(site)], capsys)
    assert (code, err) == (0, "")
    assert "1 article," in out


# -- no tracebacks -----------------------------------------------------------------------


@pytest.mark.parametrize("case", INVALID_CASES)
def test_no_traceback_and_check_agrees_with_build(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every broken fixture, through ``build`` and ``check --strict``: a diagnostic, exit 1,
    never an exception; and both commands name the same problems."""
    monkeypatch.chdir(INVALID / case)
    built = run(["build", "--site", ".", "--output", str(tmp_path / "out")], capsys)
    checked = run(["check", "--site", ".", "--strict"], capsys)
    for code, out, err in (built, checked):
        assert code == 1
        assert "Traceback" not in out + err
    assert _problems(built[2]) == _problems(checked[2])


def _problems(stderr: str) -> set[str]:
    heads = re.findall(r"^(\S+: )(?:error|warning)(\[.*)$", stderr, re.M)
    return {a + b for a, b in heads}


def test_bad_base_url_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path / "s", {"a": ""})
    for command in ("build", "check"):
        code, _, err = run([command, "--site", str(site), "--base-url", "https://[x/"], capsys)
        assert code == 1
        assert err.startswith("--base-url:1:1: error[bad-url]: --base-url must be an absolute")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/?v=1",
        "https://x.example/#top",
        "https://me:pw@x.example/",
        "https://x.example/a b/",
    ],
)
def test_a_base_url_that_pages_cannot_be_appended_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    site = make_site(tmp_path / "s", {"a": ""})
    code, _, err = run(["build", "--site", str(site), "--base-url", url], capsys)
    assert code == 1 and "--base-url:1:1: error[bad-url]" in err
    config = site / "site.yaml"
    text = config.read_text("utf-8")
    config.write_text(re.sub(r"base_url: .*", f'base_url: "{url}"', text), "utf-8")
    code, _, err = run(["check", "--site", str(site)], capsys)
    assert code == 1 and "site.yaml:" in err and "error[bad-url]" in err


def test_ingest_of_a_malformed_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path / "s", {})
    code, _, err = run(["ingest", "--site", str(site), "https://[news.example/a"], capsys)
    assert code == 1
    assert err.startswith("https://[news.example/a:1:1: error[fetch-bad-url]: not an http(s) URL")


def test_an_output_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {"a": ""})
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(["build", "--site", str(site), "--output", str(blocker / "out")], capsys)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert str(blocker) in err and "--output" in err


def test_a_page_and_a_folder_on_one_path_is_a_conflict(tmp_path: Path) -> None:
    with SiteWriter(tmp_path / "out") as writer:
        writer.write(PurePosixPath("topics/index.html"), b"list", "topics")
        with pytest.raises(WriteConflict) as raised:
            writer.write(PurePosixPath("topics/index.html/index.html"), b"x", "a topic")
        assert "would be a file (from topics) and a folder" in raised.value.diagnostic.message
        writer.write(PurePosixPath("tags/x/index.html"), b"x", "tag x")
        with pytest.raises(WriteConflict):
            writer.write(PurePosixPath("tags/x"), b"x", "a file")


# -- the command line --------------------------------------------------------------------


def test_unknown_option_shows_the_commands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["build", "--bogus"], capsys)
    assert code == 2
    assert err.startswith("usage: digest build ")
    assert "digest build: error: unrecognized arguments: --bogus" in err


def test_a_site_folder_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    for command in ("build", "check", "ingest"):
        code, _, err = run([command, "--site", str(missing)], capsys)
        assert code == 2
        assert f"the folder '{missing}' does not exist" in err
        assert "site.yaml" not in err


def test_counts_are_plural_only_when_more_than_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {"a": "tags: [x]\n"})
    code, out, _ = run(["build", "--site", str(site)], capsys)
    assert code == 0
    assert re.match(r"Built \d+ pages: 1 article, 1 tag, 0 topics in ", out), out
    removed = (RemovedLine(3, "Share", "chrome"),)
    extraction = Extraction("f", "text", "T", (), "", None, "", "", (), removed, "", "")
    assert removal_summary(extraction) == "1 line (1 chrome)"


# -- URL ingest ----------------------------------------------------------------------------


class _Drip(http.server.BaseHTTPRequestHandler):
    """Answers with a page, one byte at a time, until the client goes away."""

    stop = threading.Event()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            while not self.stop.wait(0.05):
                self.wfile.write(b"x")
                self.wfile.flush()
        except OSError:
            return

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def dripping_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article"
    finally:
        _Drip.stop.set()
        server.shutdown()
        server.server_close()
        _Drip.stop.clear()


def test_url_ingest_bounds_the_whole_download(dripping_server: str) -> None:
    with pytest.raises(IngestError) as raised:
        fetch_url(dripping_server, timeout=5.0, deadline=0.5)
    assert raised.value.diagnostic.code == "fetch-timeout"
    assert "the download took longer than 0.5 s" in raised.value.diagnostic.message
